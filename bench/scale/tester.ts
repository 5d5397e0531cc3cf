/**
 * The scale tester, one node process in its own namespace, the same for every target: injector
 * sessions that announce their /32s when told to (pre-encoded UPDATEs, written at once) and, in a
 * churn scenario, flap them on schedule; and receiver sessions that keep track of the paths the
 * target sends them (`ReceivedPaths`). Each session leaves from its own address and dials the
 * target, which waits passively. Driven by bench/scale/run.ts over IPC (tester-protocol.ts).
 */
import { connect, type Socket } from 'node:net';
import { selectCodec } from '../../engine/wire/index.ts';
import type { Capability } from '../../engine/wire/types.ts';
import { median } from '../measure.ts';
import { ASN, PREFIX_BASE, sessionAddress } from './addresses.ts';
import { MessageStream } from '../message-stream.ts';
import { type ChurnSchedule, churnSchedule, injectorUpdates, prefixIndex } from './injector-routes.ts';
import { NextHopTags } from './next-hop-tags.ts';
import { ReceivedPaths } from './received-paths.ts';
import { pathsPerPrefix, prefixCount } from './scenarios.ts';
import type { ChurnResult, TesterCommand, TesterReport, TesterSetup } from './tester-protocol.ts';

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
  paths?: ReceivedPaths;
  /** Receivers: held everything at the last read. */
  complete: boolean;
  lastError?: string;
}

const send = (report: TesterReport) => process.send?.(report);

function fail(error: string): never {
  send({ type: 'failed', error });
  process.exit(1);
}

/** The churn phase under way: when each tick went out, and when each flapped prefix reached every receiver. */
interface Churn {
  schedule: ChurnSchedule;
  startedAt: bigint;
  cpuAtStart: NodeJS.CpuUsage;
  updatesAtStart: number;
  /** Seconds from the start at which each tick was written; NaN until then. */
  tickSentAt: Float64Array;
  ticksSent: number;
  /** Per prefix of the run: receivers × flaps of it still to arrive, and when the last did (seconds from the start). */
  awaited: Uint32Array;
  doneAt: Float64Array;
  /** Per prefix: the tick that announces it again. */
  reannounceTick: Int32Array;
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
  readonly #tags: NextHopTags;
  readonly #schedule: ChurnSchedule | undefined;
  #churn: Churn | undefined;

  constructor(setup: TesterSetup) {
    const { scenario } = setup;
    if (scenario.sharedPrefixes && !scenario.addPath) throw new Error(`${scenario.name}: shared prefixes are counted per path, with ADD-PATH`);
    this.#setup = setup;
    this.#keepalive = this.#codec.encodeMessage({ type: 'keepalive' });
    this.#tags = new NextHopTags(scenario.injectors);
    this.#schedule = scenario.churn ? churnSchedule(this.#codec, scenario) : undefined;
    this.#sessions = Array.from({ length: scenario.injectors + scenario.receivers }, (_, index) => {
      const injector = index < scenario.injectors;
      return {
        index,
        address: sessionAddress(index),
        stream: new MessageStream(),
        established: false,
        complete: false,
        updates: injector ? injectorUpdates(this.#codec, scenario, index) : undefined,
        paths: injector ? undefined : this.#receivedPaths(),
      };
    });
    this.#receivers = this.#sessions.filter((session) => session.paths !== undefined);
  }

  /** A receiver's table, expecting every injector's path with its own next hop. */
  #receivedPaths(): ReceivedPaths {
    const { scenario } = this.#setup;
    const paths = new ReceivedPaths({
      base: PREFIX_BASE, prefixes: prefixCount(scenario), slots: pathsPerPrefix(scenario), addPath: scenario.addPath === true, tags: this.#tags,
      onMatch: (prefix) => this.#flapArrived(prefix),
    });
    for (let injector = 0; injector < scenario.injectors; injector++) {
      const tag = this.#tags.tag(injector, false);
      for (let j = 0; j < scenario.prefixesPerInjector; j++) paths.expect(prefixIndex(scenario, injector, j), tag);
    }
    return paths;
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
      this.#reportTimeout();
    }, this.#setup.timeoutSeconds * 1000);
    for (const session of this.#sessions) if (session.updates) session.socket?.write(session.updates);
  }

  #reportTimeout(): void {
    const held = this.#receivers.reduce((sum, session) => sum + (session.paths?.matched ?? 0), 0);
    send({ type: 'timeout', held, expected: this.#receivers.reduce((sum, session) => sum + (session.paths?.size ?? 0), 0) });
  }

  /**
   * The churn phase: every receiver must now hold each flapped prefix with its injector's second
   * next hop; the ticks go out on schedule, each timed from the start so that a late timer does
   * not shift the ones after it.
   */
  churn(): void {
    const schedule = this.#schedule;
    if (schedule === undefined) fail(`${this.#setup.scenario.name} has no churn`);
    const { scenario } = this.#setup;
    const prefixes = prefixCount(scenario);
    const churn: Churn = {
      schedule,
      startedAt: process.hrtime.bigint(),
      cpuAtStart: process.cpuUsage(),
      updatesAtStart: this.#updates,
      tickSentAt: new Float64Array(schedule.ticks.length).fill(Number.NaN),
      ticksSent: 0,
      awaited: new Uint32Array(prefixes),
      doneAt: new Float64Array(prefixes).fill(Number.NaN),
      reannounceTick: new Int32Array(prefixes).fill(-1),
    };
    for (const flap of schedule.flaps) {
      churn.awaited[flap.prefix] += this.#receivers.length;
      churn.reannounceTick[flap.prefix] = Math.max(churn.reannounceTick[flap.prefix], flap.reannounceTick);
      for (const receiver of this.#receivers) receiver.paths?.expect(flap.prefix, this.#tags.tag(flap.injector, true));
    }
    this.#churn = churn;
    this.#finished = false;
    this.#countComplete();
    this.#timer = setTimeout(() => {
      if (this.#finished) return;
      this.#finished = true;
      this.#reportTimeout();
    }, this.#setup.timeoutSeconds * 1000);
    const sendTick = (tick: number) => {
      if (this.#finished) return;
      for (const [injector, bytes] of schedule.ticks[tick].entries()) if (bytes) this.#sessions[injector].socket?.write(bytes);
      churn.tickSentAt[tick] = this.#since(churn.startedAt);
      churn.ticksSent++;
      if (tick + 1 < schedule.ticks.length) setTimeout(() => sendTick(tick + 1), Math.max(0, (tick + 1) * schedule.tickMs - this.#since(churn.startedAt) * 1000));
      this.#progress();
    };
    sendTick(0);
  }

  #since(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e9;
  }

  /** A receiver's slot came to hold what is expected: during the churn, one more arrival of a flap. */
  #flapArrived(prefix: number): void {
    const churn = this.#churn;
    if (churn === undefined || churn.awaited[prefix] === 0) return;
    if (--churn.awaited[prefix] === 0) churn.doneAt[prefix] = this.#since(churn.startedAt);
  }

  #countComplete(): void {
    this.#complete = 0;
    for (const session of this.#receivers) {
      session.complete = session.paths?.complete ?? false;
      if (session.complete) this.#complete++;
    }
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
      const capabilities: Capability[] = [{ type: 'multiprotocol', family: 'ipv4-unicast' }, { type: 'four-octet-as', asn: ASN }];
      if (session.paths && this.#setup.scenario.addPath) capabilities.push({ type: 'add-path', families: [{ family: 'ipv4-unicast', mode: 'receive' }] });
      socket.write(this.#codec.encodeMessage({ type: 'open', version: 4, myAs: ASN, holdTime: this.#setup.holdTime, bgpId: session.address, capabilities }));
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
        } else if (session.paths) {
          this.#updates++;
          this.#octets += end - start;
          session.paths.update(bytes, start, end);
        }
      },
    });
    if (session.paths && session.paths.complete !== session.complete) {
      session.complete = session.paths.complete;
      this.#complete += session.complete ? 1 : -1;
    }
    if (session.paths) this.#progress();
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
    const churn = this.#churn;
    if (churn !== undefined && churn.ticksSent < churn.schedule.ticks.length) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    if (churn !== undefined) {
      send({ type: 'churned', result: this.#churnResult(churn) });
      return;
    }
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

  #churnResult(churn: Churn): ChurnResult {
    const seconds = this.#since(churn.startedAt);
    const lags: number[] = [];
    for (let prefix = 0; prefix < churn.doneAt.length; prefix++) {
      const tick = churn.reannounceTick[prefix];
      if (tick >= 0) lags.push(churn.doneAt[prefix] - churn.tickSentAt[tick]);
    }
    const cpu = process.cpuUsage(churn.cpuAtStart);
    return {
      flaps: churn.schedule.flaps.length,
      seconds,
      tailSeconds: seconds - churn.tickSentAt[churn.tickSentAt.length - 1],
      lagMedianSeconds: median(lags),
      lagMaxSeconds: lags.reduce((largest, lag) => Math.max(largest, lag), 0),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      updates: this.#updates - churn.updatesAtStart,
    };
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
    } else if (command.type === 'churn') {
      tester?.churn();
    }
  } catch (error) {
    fail((error as Error).stack ?? String(error));
  }
});
process.on('disconnect', () => process.exit(0));
