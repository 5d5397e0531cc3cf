// Command etcd runs a single-member etcd server for Porter's end-to-end
// tests: kube-apiserver keeps its objects here. It is the upstream server
// (go.etcd.io/etcd/server/v3/embed) behind a handful of flags, so the tests
// need no etcd release binary, only the Go module proxy.
//
// It prints "ready" on its own line once the server serves clients, and on
// SIGTERM or SIGINT closes the server (flushing the backend) and exits 0.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dataDir := flag.String("data-dir", "", "directory for the member's data (required)")
	clientURL := flag.String("listen-client-url", "http://127.0.0.1:2379", "URL that serves clients; also advertised")
	peerURL := flag.String("listen-peer-url", "http://127.0.0.1:2380", "URL for raft peers; also advertised")
	name := flag.String("name", "porter-e2e", "member name")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	noFsync := flag.Bool("unsafe-no-fsync", false, "skip fsync: faster, loses data on a crash (throwaway test clusters only)")
	readyTimeout := flag.Duration("ready-timeout", 60*time.Second, "give up when the server is not ready by then")
	flag.Parse()

	if *dataDir == "" {
		fail("--data-dir is required")
	}
	client, err := url.Parse(*clientURL)
	if err != nil {
		fail("bad --listen-client-url: %v", err)
	}
	peer, err := url.Parse(*peerURL)
	if err != nil {
		fail("bad --listen-peer-url: %v", err)
	}

	cfg := embed.NewConfig()
	cfg.Name = *name
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = *logLevel
	cfg.UnsafeNoFsync = *noFsync

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		fail("start: %v", err)
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)

	select {
	case <-server.Server.ReadyNotify():
		fmt.Println("ready")
	case <-time.After(*readyTimeout):
		server.Close()
		fail("not ready after %s", *readyTimeout)
	case sig := <-signals:
		server.Close()
		fail("stopped by %s before ready", sig)
	}

	select {
	case err := <-server.Err():
		server.Close()
		fail("server: %v", err)
	case <-signals:
		server.Close()
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "etcd: "+format+"\n", args...)
	os.Exit(1)
}
