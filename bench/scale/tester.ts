/**
 * The scale tester, one node process in its own namespace, the same for every target: injector
 * sessions that announce their /32s when told to (pre-encoded UPDATEs, written at once), and
 * receiver sessions that count the prefixes the target sends them (`PrefixCount`). Each session
 * leaves from its own address and dials the target, which waits passively. Driven by
 * bench/scale/run.ts over IPC (tester-protocol.ts).
 */
import { connect, type Socket } from 'node:net';
import { selectCodec } from '../../engine/wire/index.ts';
import type { AttributeSet, WireCodec } from '../../engine/wire/types.ts';
import { ASN, PREFIX_BASE, prefixNumber, sessionAddress } from './addresses.ts';
import { MessageStream } from '../message-stream.ts';
import { PrefixCount } from './prefix-count.ts';
import type { TesterCommand, TesterReport, TesterSetup } from './tester-protocol.ts';
import { ipv4HostRoutes } from '../host-routes.ts';

const TYPE = { open: 1, update: 2, notification: 3, keepalive: 4 } as const;
/** A session that failed before Established is dialled again after this long. */
const RETRY_MS = 1_000;

interface Session {
  index: number;
  address: string;
  socket?: Socket;
  stream: MessageStream;
  established: boolean;
  /** Injectors: their UPDATEs, encoded before the clock starts. */
  updates?: Uint8Array;
  /** Receivers: what they hold. */
  count?: PrefixCount;
  /** Receivers: held everything at the last read. */
  complete: boolean;
  lastError?: string;
}

const send = (report: TesterReport) => process.send?.(report);

function fail(error: string): never {
  send({ type: 'failed', error });
  process.exit(1);
}

/** Injector i's /32s, one attribute set: ORIGIN IGP, empty AS_PATH (iBGP), LOCAL_PREF 100, its own next hop. */
function injectorUpdates(codec: WireCodec, setup: TesterSetup, injector: number): Uint8Array {
  const count = setup.prefixesPerInjector;
  const routes = ipv4HostRoutes(count, (j) => prefixNumber(injector, j, count));
  const set: AttributeSet = {
    nextHops: [sessionAddress(injector)],
    attributes: [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }, { type: 'local-pref', value: 100 }],
  };
  return codec.encodeRoutes(routes, [set]);
}

class Tester {
  readonly #codec = selectCodec().codec;
  readonly #setup: TesterSetup;
  readonly #sessions: Session[];
  readonly #receivers: Session[];
  readonly #keepalive: Uint8Array;
  readonly #queue: Session[] = [];
  #connecting = 0;
  #established = 0;
  #connectStart = 0n;
  #releasedAt = 0n;
  #cpuAtRelease = process.cpuUsage();
  #complete = 0;
  #updates = 0;
  #octets = 0;
  #finished = false;
  #reported = false;
  #releaseWaiting = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(setup: TesterSetup) {
    this.#setup = setup;
    this.#keepalive = this.#codec.encodeMessage({ type: 'keepalive' });
    const total = setup.injectors * setup.prefixesPerInjector;
    this.#sessions = Array.from({ length: setup.injectors + setup.receivers }, (_, index) => {
      const injector = index < setup.injectors;
      return {
        index,
        address: sessionAddress(index),
        stream: new MessageStream(),
        established: false,
        complete: false,
        updates: injector ? injectorUpdates(this.#codec, setup, index) : undefined,
        count: injector ? undefined : new PrefixCount(PREFIX_BASE, total),
      };
    });
    this.#receivers = this.#sessions.filter((session) => session.count !== undefined);
  }

  connect(): void {
    this.#connectStart = process.hrtime.bigint();
    setInterval(() => {
      for (const session of this.#sessions) if (session.established) session.socket?.write(this.#keepalive);
    }, (this.#setup.holdTime / 3) * 1000).unref();
    this.#timer = setTimeout(() => {
      const stuck = this.#sessions.find((session) => !session.established);
      fail(`${this.#established} of ${this.#sessions.length} sessions Established after ${this.#setup.establishTimeoutSeconds} s; ` +
        `${stuck?.address}: ${stuck?.lastError ?? 'no answer'}`);
    }, this.#setup.establishTimeoutSeconds * 1000);
    this.#queue.push(...this.#sessions);
    this.#pump();
  }

  /** Starts the clock and sends the routes; when a session dropped since `established`, once it is back. */
  release(): void {
    if (this.#established < this.#sessions.length) {
      this.#releaseWaiting = true;
      return;
    }
    this.#releaseWaiting = false;
    clearTimeout(this.#timer);
    this.#cpuAtRelease = process.cpuUsage();
    this.#releasedAt = process.hrtime.bigint();
    this.#timer = setTimeout(() => {
      if (this.#finished) return;
      this.#finished = true;
      const held = this.#receivers.reduce((sum, session) => sum + (session.count?.count ?? 0), 0);
      send({ type: 'timeout', held, expected: this.#receivers.length * this.#setup.injectors * this.#setup.prefixesPerInjector });
    }, this.#setup.timeoutSeconds * 1000);
    for (const session of this.#sessions) if (session.updates) session.socket?.write(session.updates);
  }

  #pump(): void {
    while (this.#connecting < this.#setup.connectConcurrency && this.#queue.length > 0) {
      this.#connecting++;
      this.#dial(this.#queue.shift() as Session);
    }
  }

  #dial(session: Session): void {
    const socket = connect({ host: this.#setup.target, port: 179, localAddress: session.address, noDelay: true });
    session.socket = socket;
    session.stream.reset();
    socket.on('connect', () => {
      socket.write(this.#codec.encodeMessage({
        type: 'open', version: 4, myAs: ASN, holdTime: this.#setup.holdTime, bgpId: session.address,
        capabilities: [{ type: 'multiprotocol', family: 'ipv4-unicast' }, { type: 'four-octet-as', asn: ASN }],
      }));
    });
    socket.on('data', (chunk: Buffer) => this.#read(session, chunk));
    socket.on('error', (error) => {
      session.lastError = error.message;
    });
    socket.on('close', () => this.#closed(session, socket));
  }

  /**
   * Before the release a close is the target not ready yet (a daemon still reading its configuration
   * may reset sessions it has just accepted): dial again. After the release the run has failed.
   */
  #closed(session: Session, socket: Socket): void {
    if (session.socket !== socket) return;
    if (this.#releasedAt !== 0n) {
      if (!this.#finished) fail(`${session.address}: the target closed the session (${session.lastError ?? 'no error'})`);
      return;
    }
    session.socket = undefined;
    if (session.established) {
      session.established = false;
      this.#established--;
    } else {
      this.#connecting--;
    }
    setTimeout(() => {
      this.#queue.push(session);
      this.#pump();
    }, RETRY_MS);
    this.#pump();
  }

  #read(session: Session, chunk: Buffer): void {
    session.stream.read(chunk, {
      message: (type, bytes, start, end) => {
        if (type !== TYPE.update) {
          this.#message(session, type, bytes.subarray(start, end));
        } else if (session.count) {
          this.#updates++;
          this.#octets += end - start;
          session.count.update(bytes, start, end);
        }
      },
    });
    if (session.count && session.count.complete !== session.complete) {
      session.complete = session.count.complete;
      this.#complete += session.complete ? 1 : -1;
    }
    if (session.count) this.#progress();
  }

  #message(session: Session, type: number, message: Uint8Array): void {
    if (type === TYPE.open) {
      session.socket?.write(this.#keepalive);
    } else if (type === TYPE.keepalive && !session.established) {
      session.established = true;
      this.#connecting--;
      this.#pump();
      if (++this.#established === this.#sessions.length && !this.#reported) {
        this.#reported = true;
        send({ type: 'established', seconds: Number(process.hrtime.bigint() - this.#connectStart) / 1e9 });
      }
      if (this.#established === this.#sessions.length && this.#releaseWaiting) this.release();
    } else if (type === TYPE.notification) {
      const decoded = JSON.stringify(this.#codec.decodeMessage(message).message);
      session.lastError = `NOTIFICATION ${decoded}`;
      if (this.#releasedAt !== 0n && !this.#finished) fail(`${session.address} received ${session.lastError}`);
      session.socket?.destroy();
    }
  }

  #progress(): void {
    if (this.#finished || this.#releasedAt === 0n) return;
    if (this.#complete < this.#receivers.length) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    const cpu = process.cpuUsage(this.#cpuAtRelease);
    send({
      type: 'converged',
      result: {
        seconds: Number(process.hrtime.bigint() - this.#releasedAt) / 1e9,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        updates: this.#updates,
        octets: this.#octets,
      },
    });
  }
}

let tester: Tester | undefined;
process.on('message', (command: TesterCommand) => {
  try {
    if (command.type === 'setup') {
      tester = new Tester(command.setup);
      send({ type: 'ready' });
    } else if (command.type === 'connect') {
      tester?.connect();
    } else if (command.type === 'release') {
      tester?.release();
    }
  } catch (error) {
    fail((error as Error).stack ?? String(error));
  }
});
process.on('disconnect', () => process.exit(0));
