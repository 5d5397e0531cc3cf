/**
 * A real Kubernetes control plane for end-to-end tests: etcd and kube-apiserver on loopback, and
 * nothing else. There is no kubelet, scheduler or kube-controller-manager, so tests create Nodes
 * and EndpointSlices themselves, nothing garbage-collects owned objects, deleted namespaces stay
 * Terminating, and kube-apiserver itself allocates Services' ClusterIPs.
 *
 * The processes run detached and are recorded in a state directory, so one process can start a
 * control plane (`cluster up`) and another stop it (`cluster down`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiserverArgs, etcdArgs, type Layout, paths } from './arguments.ts';
import { type BuildOptions, ensureBinaries } from './binaries.ts';
import { writeCredentials } from './credentials.ts';
import { freePorts } from './free-ports.ts';
import { lastCertificate, renderKubeconfig } from './kubeconfig.ts';
import { isOurs, startDetached, stopProcess } from './processes.ts';
import { get, logTail, waitForLog, waitForReadyz } from './readiness.ts';
import { readState, stateDir, writeState } from './state.ts';
import type { ControlPlaneState, Result } from './types.ts';

/** A running control plane. */
export interface ControlPlane {
  name: string;
  /** Path of a kubeconfig for the admin token (the CA is inlined). */
  kubeconfig: string;
  /** https://127.0.0.1:PORT */
  server: string;
  /** Bearer token of a user in system:masters. */
  token: string;
  /** PEM of the CA that signed kube-apiserver's serving certificate. */
  caPem: string;
  /** Stops kube-apiserver then etcd by pid and removes the state directory. Never rejects. */
  stop(): Promise<void>;
}

/** Options of startControlPlane. */
export interface StartOptions {
  /** Names the state directory; default `pid-<this process's pid>`. */
  name?: string;
  /** Output of a build, when the cache lacks the binaries. */
  build?: BuildOptions;
  /** Bound on each readiness wait (default 120 s: kube-apiserver starts slowly on a loaded machine). */
  readyTimeoutMs?: number;
}

/**
 * Starts a control plane, building the binaries first on a cache miss. Throws with the failing
 * process's log tail when it cannot start; whatever it had started is stopped first.
 */
export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const started = await launch(options);
  if (!started.ok) throw new Error(started.error);
  const { plane, state } = started.value;
  // A test process that ends without stop() (an uncaught error, process.exit) must not leave
  // kube-apiserver and etcd running: kill them synchronously as it exits.
  const killOnExit = () => {
    for (const pid of [state.pids.apiserver, state.pids.etcd]) {
      if (pid !== undefined && isOurs(pid, state.dir)) process.kill(pid, 'SIGKILL');
    }
    rmSync(state.dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  return {
    ...plane,
    stop: async () => {
      process.off('exit', killOnExit);
      await plane.stop();
    },
  };
}

/**
 * startControlPlane with the failure as a value, and without the exit hook: the processes outlive
 * the caller (`cluster up`) until stopControlPlane.
 */
export async function upControlPlane(options: StartOptions = {}): Promise<Result<ControlPlane>> {
  const started = await launch(options);
  return started.ok ? { ok: true, value: started.value.plane } : started;
}

async function launch(options: StartOptions): Promise<Result<{ plane: ControlPlane; state: ControlPlaneState }>> {
  const name = options.name ?? `pid-${process.pid}`;
  const dir = stateDir(name);
  if (!dir.ok) return dir;
  const leftover = readState(dir.value);
  if (leftover !== undefined && running(leftover)) {
    return { ok: false, error: `control plane ${name} is already running (state in ${dir.value}): stop it first` };
  }
  // A crashed run's directory: its processes are gone, but its data would confuse a new etcd.
  await stopState(leftover, dir.value);

  const binaries = await ensureBinaries(options.build);
  if (!binaries.ok) return binaries;

  mkdirSync(paths(dir.value).certs, { recursive: true });
  const [etcdClientPort, etcdPeerPort, apiserverPort] = await freePorts(3);
  const layout: Layout = { dir: dir.value, etcdClientPort, etcdPeerPort, apiserverPort };
  const files = paths(dir.value);
  const state: ControlPlaneState = {
    name,
    dir: dir.value,
    pids: {},
    server: `https://127.0.0.1:${apiserverPort}`,
    token: writeCredentials(dir.value),
    kubeconfig: files.kubeconfig,
    etcd: `http://127.0.0.1:${etcdClientPort}`,
  };
  writeState(state);

  const started = await startProcesses(state, layout, binaries.value, options.readyTimeoutMs ?? 120_000);
  if (!started.ok) {
    await stopState(state, dir.value);
    return started;
  }
  writeFileSync(files.kubeconfig, renderKubeconfig({ name, server: state.server, caPem: started.value, token: state.token }), {
    mode: 0o600,
  });
  return { ok: true, value: { plane: handle(state, started.value), state } };
}

/** Starts etcd, waits for it, starts kube-apiserver, waits for /readyz; returns the CA's PEM. */
async function startProcesses(
  state: ControlPlaneState,
  layout: Layout,
  binaries: { etcd: string; apiserver: string },
  timeoutMs: number,
): Promise<Result<string>> {
  const files = paths(state.dir);
  const etcd = startDetached(binaries.etcd, etcdArgs(layout), files.etcdLog);
  if (!etcd.ok) return etcd;
  state.pids.etcd = etcd.value;
  writeState(state);
  const etcdReady = await waitForLog('etcd', /^ready$/m, {
    timeoutMs,
    alive: () => isOurs(etcd.value, state.dir),
    logFile: files.etcdLog,
  });
  if (!etcdReady.ok) return etcdReady;

  const apiserver = startDetached(binaries.apiserver, apiserverArgs(layout), files.apiserverLog);
  if (!apiserver.ok) return apiserver;
  state.pids.apiserver = apiserver.value;
  writeState(state);
  const waits = { timeoutMs, alive: () => isOurs(apiserver.value, state.dir), logFile: files.apiserverLog };
  // kube-apiserver writes its self-signed CA and serving certificate before it listens.
  const certificate = join(files.certs, 'apiserver.crt');
  const written = await waitForLog('kube-apiserver serving certificate', /END CERTIFICATE/, { ...waits, logFile: certificate });
  if (!written.ok) return { ok: false, error: `${written.error}\n${logTail(files.apiserverLog)}` };
  const caPem = lastCertificate(readFileSync(certificate, 'utf8'));
  if (caPem === undefined) return { ok: false, error: `no certificate in ${certificate}` };
  const ready = await waitForReadyz({ server: state.server, caPem, token: state.token }, waits);
  return ready.ok ? { ok: true, value: caPem } : ready;
}

function handle(state: ControlPlaneState, caPem: string): ControlPlane {
  return {
    name: state.name,
    kubeconfig: state.kubeconfig,
    server: state.server,
    token: state.token,
    caPem,
    stop: () => stopState(state, state.dir),
  };
}

function running(state: ControlPlaneState): boolean {
  const { etcd, apiserver } = state.pids;
  return (etcd !== undefined && isOurs(etcd, state.dir)) || (apiserver !== undefined && isOurs(apiserver, state.dir));
}

/** Stops the recorded processes (kube-apiserver first, so it never outlives its storage) and removes `dir`. */
async function stopState(state: ControlPlaneState | undefined, dir: string): Promise<void> {
  if (state !== undefined) {
    if (state.pids.apiserver !== undefined) await stopProcess(state.pids.apiserver, dir);
    if (state.pids.etcd !== undefined) await stopProcess(state.pids.etcd, dir);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Stops control plane `name` started by any process; succeeds when there is none. */
export async function stopControlPlane(name: string): Promise<Result<{ stopped: boolean }>> {
  const dir = stateDir(name);
  if (!dir.ok) return dir;
  const state = readState(dir.value);
  const existed = existsSync(dir.value);
  await stopState(state, dir.value);
  return { ok: true, value: { stopped: existed } };
}

/** What `status` reports of a control plane. */
export interface ControlPlaneStatus {
  state: ControlPlaneState;
  etcdRunning: boolean;
  apiserverRunning: boolean;
  /** /readyz answered 200. */
  ready: boolean;
}

/** The status of control plane `name`; an error when it has no state directory. */
export async function controlPlaneStatus(name: string): Promise<Result<ControlPlaneStatus>> {
  const dir = stateDir(name);
  if (!dir.ok) return dir;
  const state = readState(dir.value);
  if (state === undefined) return { ok: false, error: `no control plane ${name} (no ${paths(dir.value).state})` };
  const etcdRunning = state.pids.etcd !== undefined && isOurs(state.pids.etcd, state.dir);
  const apiserverRunning = state.pids.apiserver !== undefined && isOurs(state.pids.apiserver, state.dir);
  const certificate = join(paths(state.dir).certs, 'apiserver.crt');
  const caPem = existsSync(certificate) ? lastCertificate(readFileSync(certificate, 'utf8')) : undefined;
  let ready = false;
  if (apiserverRunning && caPem !== undefined) {
    const answer = await get({ server: state.server, caPem, token: state.token }, '/readyz');
    ready = answer.ok && answer.value.status === 200;
  }
  return { ok: true, value: { state, etcdRunning, apiserverRunning, ready } };
}
