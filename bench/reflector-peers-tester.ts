/**
 * The reflector benchmark's tester, a process of its own so that the reflector's CPU and memory are
 * measured alone: N BGP clients on loopback, each from its own 127.1.x.y address. Each sends OPEN
 * (4-octet AS, IPv4 unicast), KEEPALIVE once it has the reflector's OPEN, and its M /32s once
 * Established; then it counts the prefixes of the other clients the reflector sends it, until every
 * client holds all N×M−M. It reads UPDATEs' NLRI and withdrawn routes itself, which costs far less
 * than decoding their attributes; with `verify` the codec's bulk decoder (`decodeRoutes`, native
 * when the addon loads) decodes every UPDATE as well and must agree. Driven by
 * bench/reflector-peers.ts over IPC.
 */
import { connect, type Socket } from 'node:net';
import { selectCodec } from '../engine/wire/index.ts';
import type { AttributeSet, WireCodec } from '../engine/wire/types.ts';
import { ipv4HostRoutes } from './host-routes.ts';
import { HEADER, MessageStream } from './message-stream.ts';
import {
  PREFIX_BASE, peerAddress,
  type TesterCommand, type TesterReport, type TesterResult,
} from './reflector-peers-protocol.ts';

type Setup = Extract<TesterCommand, { type: 'setup' }>;

const TYPE = { open: 1, update: 2, notification: 3, keepalive: 4 } as const;
/** RFC 4271 section 10: a third of the hold time. */
const KEEPALIVE_SHARE = 3;

/** One client: its socket, what it still has to read, and the prefixes it holds. */
interface Client {
  index: number;
  socket?: Socket;
  stream: MessageStream;
  established: boolean;
  /** One octet per prefix of the whole run: 1 where this client holds it. */
  held: Uint8Array;
  heldOthers: number;
  converged: boolean;
  /** Routes (announced or withdrawn) counted by the tester's walk, and by the codec when verifying. */
  routesSeen: number;
  routesDecoded: number;
  update: Uint8Array;
}

const send = (report: TesterReport) => process.send?.(report);

function fail(error: string): never {
  send({ type: 'failed', error });
  process.exit(1);
}

/** The client's M /32s, one attribute set: ORIGIN IGP, empty AS_PATH (iBGP), LOCAL_PREF, its address as next hop. */
function updateOf(codec: WireCodec, index: number, prefixes: number): Uint8Array {
  const routes = ipv4HostRoutes(prefixes, (j) => PREFIX_BASE + index * prefixes + j);
  const set: AttributeSet = {
    nextHops: [peerAddress(index)],
    attributes: [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }, { type: 'local-pref', value: 100 }],
  };
  return codec.encodeRoutes(routes, [set]);
}

class Tester {
  readonly #codec = selectCodec().codec;
  readonly #setup: Setup;
  readonly #clients: Client[];
  readonly #keepalive: Uint8Array;
  readonly #received = {
    update: { messages: 0, octets: 0 },
    keepalive: { messages: 0, octets: 0 },
    open: { messages: 0, octets: 0 },
    other: { messages: 0, octets: 0 },
  };
  readonly #total: number;
  #established = 0;
  #converged = 0;
  #finished = false;
  #ownReflected = 0;
  #start = 0n;
  #establishedAt = 0n;
  #cpuStart = process.cpuUsage();
  #keepaliveTimer: NodeJS.Timeout | undefined;
  #timeout: NodeJS.Timeout | undefined;

  constructor(setup: Setup) {
    this.#setup = setup;
    this.#total = setup.peers * setup.prefixes;
    this.#keepalive = this.#codec.encodeMessage({ type: 'keepalive' });
    this.#clients = Array.from({ length: setup.peers }, (_, index) => ({
      index,
      stream: new MessageStream(),
      established: false,
      held: new Uint8Array(this.#total),
      heldOthers: 0,
      converged: false,
      routesSeen: 0,
      routesDecoded: 0,
      update: updateOf(this.#codec, index, setup.prefixes),
    }));
  }

  go(): void {
    this.#cpuStart = process.cpuUsage();
    this.#start = process.hrtime.bigint();
    const { holdTime, timeoutSeconds } = this.#setup;
    this.#keepaliveTimer = setInterval(() => {
      for (const client of this.#clients) if (client.established) client.socket?.write(this.#keepalive);
    }, (holdTime / KEEPALIVE_SHARE) * 1000);
    this.#timeout = setTimeout(() => {
      fail(`no convergence within ${timeoutSeconds} s: ${this.#established} of ${this.#clients.length} sessions ` +
        `Established, ${this.#converged} clients hold every prefix of the others`);
    }, timeoutSeconds * 1000);
    for (const client of this.#clients) this.#connect(client);
  }

  #connect(client: Client): void {
    const { asn, holdTime, port } = this.#setup;
    const localAddress = peerAddress(client.index);
    const socket = connect({ host: '127.0.0.1', port, localAddress, noDelay: true });
    client.socket = socket;
    socket.on('connect', () => {
      socket.write(this.#codec.encodeMessage({
        type: 'open', version: 4, myAs: asn > 0xffff ? 23456 : asn, holdTime, bgpId: localAddress,
        capabilities: [{ type: 'multiprotocol', family: 'ipv4-unicast' }, { type: 'four-octet-as', asn }],
      }));
    });
    socket.on('data', (chunk: Buffer) => this.#read(client, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EMFILE' || error.code === 'ENFILE'
        ? ' (out of file descriptors: raise `ulimit -n`)'
        : error.code === 'EADDRNOTAVAIL' ? ` (${localAddress} is not a local address: 127.0.0.0/8 must be on lo)` : '';
      fail(`client ${localAddress}: ${error.message}${hint}`);
    });
    socket.on('close', () => {
      if (!this.#finished) fail(`client ${localAddress}: the reflector closed the session`);
    });
  }

  #read(client: Client, chunk: Buffer): void {
    client.stream.read(chunk, {
      message: (type, bytes, start, end) => {
        if (type !== TYPE.update) {
          this.#message(client, type, bytes.subarray(start, end));
          return;
        }
        this.#received.update.messages++;
        this.#received.update.octets += end - start;
        this.#update(client, bytes, start, end);
      },
      updates: (run) => this.#verify(client, run),
    });
    this.#progress(client);
  }

  #message(client: Client, type: number, message: Uint8Array): void {
    const count = type === TYPE.open ? this.#received.open : type === TYPE.keepalive ? this.#received.keepalive : this.#received.other;
    count.messages++;
    count.octets += message.length;
    if (type === TYPE.open) {
      client.socket?.write(this.#keepalive);
    } else if (type === TYPE.keepalive && !client.established) {
      client.established = true;
      client.socket?.write(client.update);
      if (++this.#established === this.#clients.length) this.#establishedAt = process.hrtime.bigint();
    } else if (type === TYPE.notification) {
      const decoded = this.#codec.decodeMessage(message).message;
      fail(`client ${peerAddress(client.index)} received a NOTIFICATION: ${JSON.stringify(decoded)}`);
    }
  }

  /**
   * Counts one UPDATE's prefixes by walking its fields (RFC 4271 section 4.3): Withdrawn Routes
   * Length, Withdrawn Routes, Total Path Attribute Length, path attributes, NLRI. The reflector sends
   * IPv4 unicast in the NLRI field, without ADD-PATH. A tester that decoded every attribute of a
   * million UPDATEs would take as much CPU as the reflector it measures.
   */
  #update(client: Client, bytes: Uint8Array, start: number, end: number): void {
    const withdrawnEnd = start + HEADER + 2 + ((bytes[start + HEADER] << 8) | bytes[start + HEADER + 1]);
    const attributesLength = (bytes[withdrawnEnd] << 8) | bytes[withdrawnEnd + 1];
    this.#prefixes(client, bytes, start + HEADER + 2, withdrawnEnd, false);
    this.#prefixes(client, bytes, withdrawnEnd + 2 + attributesLength, end, true);
  }

  #prefixes(client: Client, bytes: Uint8Array, start: number, end: number, announced: boolean): void {
    const { held } = client;
    const prefixes = this.#setup.prefixes;
    for (let at = start; at < end; at += 1 + ((bytes[at] + 7) >> 3)) {
      if (bytes[at] !== 32) continue;
      const prefix = ((bytes[at + 1] << 24) | (bytes[at + 2] << 16) | (bytes[at + 3] << 8) | bytes[at + 4]) - PREFIX_BASE;
      if (prefix < 0 || prefix >= this.#total) continue;
      const own = Math.floor(prefix / prefixes) === client.index;
      if (!announced) {
        if (held[prefix] === 1 && !own) client.heldOthers--;
        held[prefix] = 0;
      } else if (held[prefix] === 0) {
        held[prefix] = 1;
        if (own) this.#ownReflected++;
        else client.heldOthers++;
      }
      client.routesSeen++;
    }
  }

  /** With `verify`: the codec's bulk decoder must find the routes the walk counted, without error. */
  #verify(client: Client, updates: Uint8Array): void {
    if (!this.#setup.verify) return;
    const decoded = this.#codec.decodeRoutes(updates);
    if (decoded.errors.length > 0) fail(`client ${peerAddress(client.index)}: ${JSON.stringify(decoded.errors[0])}`);
    client.routesDecoded += decoded.routes.count;
    if (client.routesDecoded !== client.routesSeen) {
      fail(`client ${peerAddress(client.index)}: decodeRoutes found ${client.routesDecoded} routes, the tester ${client.routesSeen}`);
    }
  }

  #progress(client: Client): void {
    const goal = this.#total - this.#setup.prefixes;
    const converged = client.heldOthers === goal;
    if (converged !== client.converged) {
      client.converged = converged;
      this.#converged += converged ? 1 : -1;
    }
    if (this.#converged === this.#clients.length) this.#done();
  }

  #done(): void {
    if (this.#finished) return;
    this.#finished = true;
    const end = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.#cpuStart);
    clearInterval(this.#keepaliveTimer);
    clearTimeout(this.#timeout);
    const seconds = (at: bigint) => Number(at - this.#start) / 1e9;
    const result: TesterResult = {
      establishedSeconds: seconds(this.#establishedAt),
      convergedSeconds: seconds(end),
      received: this.#received,
      ownPrefixesReflected: this.#ownReflected,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
    };
    send({ type: 'done', result });
  }
}

let tester: Tester | undefined;
process.on('message', (command: TesterCommand) => {
  try {
    if (command.type === 'setup') {
      tester = new Tester(command);
      send({ type: 'ready' });
    } else if (command.type === 'go') {
      tester?.go();
    }
  } catch (error) {
    fail((error as Error).stack ?? String(error));
  }
});
process.on('disconnect', () => process.exit(0));
