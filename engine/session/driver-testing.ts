/**
 * Fixtures for the driver and listener tests: a raw BGP peer on a plain socket (it sends what the
 * test says, malformed or not, and reads back what the driver sends), waits bounded in time, and
 * cleanup of everything a test opened. Traffic stays on loopback.
 */
import { connect, createServer, type Socket } from 'node:net';
import { tsCodec } from '../wire/ts-codec.ts';
import type { DecodeResult, Message, OpenMessage, SessionContext } from '../wire/types.ts';
import { PeerDriver, type DriverEvents, type DriverOptions } from './driver.ts';
import type { PeerConfigInput } from './driver-config.ts';
import { Listener, type ListenAddress, type ListenerOptions } from './listener.ts';

/** How long any single wait of a test may take before the test fails. */
export const WAIT_MS = 15_000;

/** Rejects after `ms` with a message naming what was awaited. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The next `event` of a driver, bounded in time. */
export function nextEvent<K extends keyof DriverEvents>(
  driver: PeerDriver,
  event: K,
  ms = WAIT_MS,
): Promise<DriverEvents[K]> {
  return within(
    new Promise<DriverEvents[K]>((resolve) => {
      (driver as unknown as { once(name: string, fn: (...args: unknown[]) => void): void }).once(event, (...args) =>
        resolve(args as DriverEvents[K]),
      );
    }),
    `${String(event)} from ${driver.remoteAddress}`,
    ms,
  );
}

/** Polls `condition` every few milliseconds until it holds, bounded in time. */
export async function until(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves after `ms`: for asserting that something does not happen within a bounded time. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A test server standing for the peer's listener. */
export interface PeerServer {
  port: number;
  /** The next connection a driver opened to it. */
  next(): Promise<RawPeer>;
}

/** Everything a test opened, closed at its end whatever happened. */
export class Cleanup {
  readonly #steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.#steps.push(step);
  }

  driver(config: PeerConfigInput, options?: DriverOptions): PeerDriver {
    const driver = new PeerDriver(config, options);
    this.add(() => driver.dispose());
    return driver;
  }

  async listener(addresses: ListenAddress[], options?: ListenerOptions): Promise<Listener> {
    const listener = new Listener(addresses, options);
    this.add(() => listener.close());
    await listener.listen();
    return listener;
  }

  /** A server where the peer listens, for the connections a driver opens: each one a raw peer. */
  async peerServer(address: string): Promise<PeerServer> {
    const accepted: Socket[] = [];
    const server = createServer((socket) => accepted.push(socket));
    this.add(() => new Promise((resolve) => server.close(resolve)));
    this.add(() => accepted.forEach((socket) => socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    let taken = 0;
    return {
      port: (server.address() as { port: number }).port,
      async next() {
        await until(() => accepted.length > taken, `a connection to ${address}`);
        return RawPeer.over(accepted[taken++]);
      },
    };
  }

  async rawPeer(host: string, port: number, localAddress: string): Promise<RawPeer> {
    const peer = await RawPeer.connect(host, port, localAddress);
    this.add(() => peer.destroy());
    return peer;
  }

  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) await step();
  }
}

/** The OPEN of a test peer: IPv4 unicast, route refresh, 4-octet AS, extended messages. */
export function rawOpen(asn: number, bgpId: string, holdTime = 90): OpenMessage {
  return {
    type: 'open',
    version: 4,
    myAs: asn,
    holdTime,
    bgpId,
    capabilities: [
      { type: 'multiprotocol', family: 'ipv4-unicast' },
      { type: 'route-refresh' },
      { type: 'extended-message' },
      { type: 'four-octet-as', asn },
    ],
  };
}

/**
 * A BGP peer made of a socket and the TypeScript codec: it writes what it is given and decodes
 * what arrives, so a test can send malformed bytes and read the driver's answers.
 */
export class RawPeer {
  readonly socket: Socket;
  /** How to read the driver's messages: set it once the OPENs negotiated something else. */
  context: SessionContext = {};
  #buffer = Buffer.alloc(0);
  readonly #received: DecodeResult[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #decoding = true;
  /** Octets received in all. */
  bytesReceived = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.bytesReceived += chunk.length;
      if (!this.#decoding) return;
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      const { results, consumed } = tsCodec.decodeStream(this.#buffer, this.context);
      this.#buffer = this.#buffer.subarray(consumed);
      this.#received.push(...results);
      this.#wake?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
  }

  /** A peer over a connection the driver opened to a test server. */
  static over(socket: Socket): RawPeer {
    return new RawPeer(socket);
  }

  static connect(host: string, port: number, localAddress: string): Promise<RawPeer> {
    return within(
      new Promise((resolve, reject) => {
        const socket = connect({ host, port, localAddress });
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(new RawPeer(socket));
        });
      }),
      `a connection from ${localAddress} to ${host}:${port}`,
    );
  }

  send(message: Message | Uint8Array): void {
    this.socket.write(message instanceof Uint8Array ? message : tsCodec.encodeMessage(message, this.context));
  }

  /** The next message received (skipping those of other types when `type` is given). */
  async next(type?: Message['type'], ms = WAIT_MS): Promise<Message> {
    const deadline = Date.now() + ms;
    for (;;) {
      const result = this.#received.shift();
      if (result !== undefined) {
        if (result.message === undefined) throw new Error(`the driver sent bytes that do not decode: ${result.error?.reason}`);
        if (type === undefined || result.message.type === type) return result.message;
        continue;
      }
      if (this.#closed) throw new Error(`the connection closed before a ${type ?? 'message'} came`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a ${type ?? 'message'}`);
      await within(
        new Promise<void>((resolve) => {
          this.#wake = resolve;
        }),
        `a ${type ?? 'message'}`,
        left,
      ).finally(() => {
        this.#wake = undefined;
      });
    }
  }

  /** Resolves when the driver has closed the connection. */
  async closed(ms = WAIT_MS): Promise<void> {
    await until(() => this.#closed, 'the connection to close', ms);
  }

  /** OPEN, then KEEPALIVE: the exchange that brings the driver to Established. */
  async establish(open: OpenMessage): Promise<OpenMessage> {
    this.send(open);
    const theirs = (await this.next('open')) as OpenMessage;
    await this.next('keepalive');
    this.send({ type: 'keepalive' });
    return theirs;
  }

  /** From now on only counts what arrives (`bytesReceived`), for volumes not worth decoding. */
  countOnly(): void {
    this.#decoding = false;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** An eBGP peering on loopback: AS 65001 towards AS 65002, short retry timers. */
export function loopbackPeer(overrides: Partial<PeerConfigInput> & Pick<PeerConfigInput, 'remoteAddress'>): PeerConfigInput {
  return {
    localAs: 65001,
    routerId: '192.0.2.1',
    peerAs: 65002,
    connectRetry: { base: 1, cap: 1 },
    idleHold: { base: 1, cap: 1 },
    ...overrides,
  };
}
