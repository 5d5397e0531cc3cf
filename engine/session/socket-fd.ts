/**
 * File descriptors of Node sockets, for the socket options BGP needs and Node cannot set (TCP-MD5,
 * TTL, GTSM), which the native addon sets on the descriptor (driver-socket-options.ts).
 *
 * Node has no public way to reach a socket's descriptor: libuv's TCP handle keeps it in
 * `_handle.fd` on Unix. This module is the one place that reaches into Node's internals, so that a
 * change there is fixed here alone.
 */
import { Socket, type Server } from 'node:net';

/** The descriptor of a connected socket or a listening server; throws when it has none (closed). */
export function socketFd(socket: Socket | Server): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the socket has no file descriptor: it is closed or not TCP');
  return fd;
}

/** A Node socket over a connected TCP descriptor, which it then owns and closes. */
export function socketFromFd(fd: number): Socket {
  return new Socket({ fd, readable: true, writable: true });
}
