/**
 * Where peers connect to us (RFC 4271 section 8.2.1: TCP port 179): one TCP server per listen
 * address and port, IPv4 or IPv6. Each connection goes to the driver of the peer with that remote
 * address; a connection from an address no peer has is closed at once. The TCP-MD5 key of each peer
 * that has one (RFC 2385) is set on every server that can hear it, so the kernel checks the
 * handshake's signatures before any connection reaches us.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { canonicalAddress, GTSM_TTL, isIpv4 } from './driver-config.ts';
import type { PeerDriver } from './driver.ts';
import { isBinding, loadSocketOptions, type SocketOptionsLoad } from './driver-socket-options.ts';
import { socketFd } from './socket-fd.ts';

export interface ListenAddress {
  /** An IPv4 or IPv6 address; `0.0.0.0` or `::` for all. */
  address: string;
  /** 0 picks a free port (tests); `addresses()` tells which. */
  port: number;
}

export interface ListenerOptions {
  socketOptions?: SocketOptionsLoad;
  /** A connection was refused: no peer has its address, or the peer's driver did not take it. */
  onRefused?: (remoteAddress: string) => void;
}

interface Bound {
  server: Server;
  address: string;
  port: number;
  ipv4: boolean;
  /** An IPv6 server that also takes IPv4 connections, as IPv4-mapped addresses. */
  dualStack: boolean;
}

export class Listener {
  readonly #wanted: ListenAddress[];
  readonly #socketOptions: SocketOptionsLoad;
  readonly #onRefused: ((remoteAddress: string) => void) | undefined;
  readonly #bound: Bound[] = [];
  readonly #peers = new Map<string, PeerDriver>();
  /** The TCP-MD5 key set on the servers for each peer address. */
  readonly #keys = new Map<string, string>();
  readonly #configListeners = new Map<PeerDriver, () => void>();

  constructor(addresses: ListenAddress[], options: ListenerOptions = {}) {
    this.#wanted = addresses;
    this.#socketOptions = options.socketOptions ?? loadSocketOptions();
    this.#onRefused = options.onRefused;
  }

  /**
   * Opens every server; rejects, closing those already open, when one cannot listen. An IPv6
   * address on a port that an IPv4 address of the list shares listens to IPv6 alone, so both fit.
   */
  async listen(): Promise<void> {
    try {
      for (const wanted of this.#wanted) this.#bound.push(await this.#open(wanted));
    } catch (error) {
      await this.close();
      throw error;
    }
    for (const [address, key] of this.#keys) this.#setKey(address, key);
  }

  /** The addresses and ports listened on, with the ports picked for port 0. */
  addresses(): ListenAddress[] {
    return this.#bound.map(({ address, port }) => ({ address, port }));
  }

  /**
   * Routes the peer's connections to its driver, and sets its TCP-MD5 key on the servers; the key
   * follows the driver's configuration changes. Replaces a driver with the same remote address.
   */
  addPeer(driver: PeerDriver): void {
    const previous = this.#peers.get(driver.remoteAddress);
    if (previous !== undefined) this.removePeer(previous);
    this.#peers.set(driver.remoteAddress, driver);
    const follow = () => this.#updateKey(driver.remoteAddress, driver.config.transport.password);
    this.#configListeners.set(driver, follow);
    driver.on('config', follow);
    follow();
  }

  /** The peer's connections are refused from now on, and its key leaves the servers. */
  removePeer(driver: PeerDriver): void {
    if (this.#peers.get(driver.remoteAddress) !== driver) return;
    this.#peers.delete(driver.remoteAddress);
    const follow = this.#configListeners.get(driver);
    if (follow !== undefined) driver.off('config', follow);
    this.#configListeners.delete(driver);
    this.#updateKey(driver.remoteAddress, undefined);
  }

  /** Stops listening; connections already handed to drivers stay theirs. */
  async close(): Promise<void> {
    const bound = this.#bound.splice(0);
    await Promise.all(bound.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  #open(wanted: ListenAddress): Promise<Bound> {
    const address = canonicalAddress(wanted.address);
    if (address === undefined) return Promise.reject(new RangeError(`${wanted.address} is not an IP address`));
    const ipv4 = isIpv4(address);
    const sharesPort = this.#wanted.some((other) => other.port === wanted.port && isIpv4(canonicalAddress(other.address) ?? ''));
    const ipv6Only = !ipv4 && sharesPort;
    const server = createServer((socket) => this.#connection(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port: wanted.port, ipv6Only }, () => {
        server.off('error', reject);
        // A server that fails later (it cannot: it only accepts) must not throw from an emitter.
        server.on('error', () => {});
        const port = (server.address() as { port: number }).port;
        const bound = { server, address, port, ipv4, dualStack: !ipv4 && !ipv6Only && address === '::' };
        try {
          this.#handshakeTtl(bound);
        } catch (error) {
          server.close();
          reject(error);
          return;
        }
        resolve(bound);
      });
    });
  }

  /**
   * The kernel answers a SYN from the listening socket, with its TTL: 255, so that a GTSM peer
   * (RFC 5082) hears the handshake. Each accepted connection then takes its peer's own TTL
   * (driver-transport.ts); one whose peer asks for none keeps 255.
   */
  #handshakeTtl({ server, ipv4, dualStack }: Bound): void {
    if (!isBinding(this.#socketOptions)) return;
    const fd = socketFd(server);
    // The address only names the family whose option is set.
    if (ipv4 || dualStack) this.#socketOptions.setSocketTtl(fd, '0.0.0.0', GTSM_TTL);
    if (!ipv4) this.#socketOptions.setSocketTtl(fd, '::', GTSM_TTL);
  }

  #connection(socket: Socket): void {
    const remote = canonicalAddress(socket.remoteAddress ?? '') ?? '';
    const driver = this.#peers.get(remote);
    if (driver === undefined || !driver.accept(socket)) {
      if (!socket.destroyed) socket.destroy();
      this.#onRefused?.(remote);
    }
  }

  /** Servers that hear `address`: of its family, or dual-stack for IPv4. */
  #serversFor(address: string): Bound[] {
    const ipv4 = isIpv4(address);
    return this.#bound.filter((bound) => bound.ipv4 === ipv4 || (ipv4 && bound.dualStack));
  }

  #updateKey(address: string, key: string | undefined): void {
    const current = this.#keys.get(address);
    if (current === key) return;
    if (key === undefined) {
      this.#keys.delete(address);
      this.#setKey(address, '');
    } else {
      this.#keys.set(address, key);
      this.#setKey(address, key);
    }
  }

  /** Sets (or with '' removes) a peer's key on the servers open now. */
  #setKey(address: string, key: string): void {
    if (!isBinding(this.#socketOptions)) {
      if (key === '') return;
      throw new Error(`TCP-MD5 for ${address} needs the native addon, which is not available (${this.#socketOptions.error})`);
    }
    for (const { server } of this.#serversFor(address)) this.#socketOptions.setTcpMd5Key(socketFd(server), address, key);
  }
}
