/**
 * The TCP connections of one peer: opening ours, with the socket options its configuration asks
 * for, and preparing the ones the peer opens to our listener.
 *
 * Options the kernel must see before the SYN (TCP-MD5 signs every segment, RFC 2385; GTSM and a
 * configured TTL govern the handshake's packets too) go through the addon's connect, which runs on
 * a libuv worker thread and hands back a connected descriptor. Every other peer connects with
 * `net.connect`, and gets the default eBGP TTL of 1 once connected.
 */
import { connect, type Socket } from 'node:net';
import type { PeerConfig } from './driver-config.ts';
import { socketSettings } from './driver-config.ts';
import { isBinding, type SocketOptionsLoad } from './driver-socket-options.ts';
import { socketFd, socketFromFd } from './socket-fd.ts';

/** A connection being opened; `cancel` abandons it, and a socket that still comes is closed. */
export interface ConnectAttempt {
  cancel(): void;
}

export interface AttemptOutcome {
  connected(socket: Socket): void;
  failed(error: Error): void;
}

/** Options a connected socket takes that can wait for the connection: the TTLs. */
function applyTtl(socket: Socket, config: PeerConfig, options: SocketOptionsLoad): void {
  const settings = socketSettings(config);
  if (!isBinding(options) || (settings.ttl === undefined && settings.minTtl === undefined)) return;
  const fd = socketFd(socket);
  const peer = config.transport.remoteAddress;
  if (settings.ttl !== undefined) options.setSocketTtl(fd, peer, settings.ttl);
  if (settings.minTtl !== undefined) options.setSocketMinTtl(fd, peer, settings.minTtl);
}

/**
 * Prepares a connection the peer opened: its TTLs (GTSM applies from here; the handshake passed
 * the listener, which serves every peer). Its TCP-MD5 key came with it from the listener.
 * Throws when an option cannot be set.
 */
export function prepareAccepted(socket: Socket, config: PeerConfig, options: SocketOptionsLoad): void {
  applyTtl(socket, config, options);
}

function plainConnect(config: PeerConfig, options: SocketOptionsLoad, outcome: AttemptOutcome): ConnectAttempt {
  const { remoteAddress, remotePort, localAddress, localPort } = config.transport;
  const socket = connect({ host: remoteAddress, port: remotePort, localAddress, localPort });
  let settled = false;
  const onError = (error: Error) => {
    if (settled) return;
    settled = true;
    socket.destroy();
    outcome.failed(error);
  };
  socket.on('error', onError);
  socket.once('connect', () => {
    if (settled) return;
    settled = true;
    try {
      applyTtl(socket, config, options);
    } catch (error) {
      socket.destroy();
      outcome.failed(error as Error);
      return;
    }
    socket.off('error', onError);
    outcome.connected(socket);
  });
  return {
    cancel() {
      settled = true;
      socket.destroy();
    },
  };
}

function nativeConnect(
  config: PeerConfig,
  options: SocketOptionsLoad,
  timeoutMs: number,
  outcome: AttemptOutcome,
): ConnectAttempt {
  if (!isBinding(options)) throw new Error(options.error);
  const { remoteAddress, remotePort, localAddress, localPort } = config.transport;
  const { md5Key, ttl, minTtl } = socketSettings(config);
  let cancelled = false;
  options
    .connectTcp({ remoteAddress, remotePort, localAddress, localPort, md5Key, ttl, minTtl, timeoutMs })
    .then(
      (fd) => {
        const socket = socketFromFd(fd);
        if (cancelled) socket.destroy();
        else outcome.connected(socket);
      },
      (error: Error) => {
        if (!cancelled) outcome.failed(error);
      },
    );
  return {
    cancel() {
      cancelled = true;
    },
  };
}

/**
 * Opens a connection to the peer. `timeoutMs` bounds an attempt made by the addon, which holds a
 * worker thread while it waits; `net.connect` needs none, the FSM's ConnectRetryTimer abandons it.
 */
export function connectToPeer(
  config: PeerConfig,
  options: SocketOptionsLoad,
  timeoutMs: number,
  outcome: AttemptOutcome,
): ConnectAttempt {
  if (socketSettings(config).required.length > 0) return nativeConnect(config, options, timeoutMs, outcome);
  return plainConnect(config, options, outcome);
}
