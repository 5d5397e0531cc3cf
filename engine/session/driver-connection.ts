/**
 * One FSM and the TCP connection it runs on (RFC 4271 section 8.2.1: one FSM per connection): its
 * state, its named timers, its pending connection attempts, its socket with the reader and the
 * write queue. It does nothing by itself; the peer's driver (driver.ts) feeds its FSM and runs the
 * actions, and this keeps the resources those actions name.
 */
import type { Socket } from 'node:net';
import type { WireCodec } from '../wire/types.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { MessageReader } from './driver-reader.ts';
import type { ConnectAttempt } from './driver-transport.ts';
import { WriteQueue } from './driver-write-queue.ts';
import { initialState } from './fsm.ts';
import type { FsmState, TimerName } from './types.ts';

/** Who sent the first SYN of a connection (RFC 4271 section 6.8 compares them). */
export type Initiator = 'local' | 'remote';

/** What the socket tells the driver. */
export interface SocketCallbacks {
  data(chunk: Buffer): void;
  /** The connection closed, or failed, without the driver closing it. */
  closed(): void;
  error(error: Error): void;
  /** The write queue emptied after the socket pushed back. */
  drained(): void;
}

/**
 * Timers that are all a peer waits on between connections: they keep the process alive. The
 * others run while a socket does, which keeps it alive by itself.
 */
const PROCESS_TIMERS = new Set<TimerName>(['ConnectRetryTimer', 'IdleHoldTimer']);

export class Connection {
  fsm: FsmState = initialState();
  /** Set once the driver is done with this FSM; nothing it arranged may act afterwards. */
  discarded = false;
  readonly attempts = new Set<ConnectAttempt>();
  readonly #timers = new Map<TimerName, TimerHandle>();
  readonly #clock: Clock;
  readonly #codec: WireCodec;
  #socket: Socket | undefined;
  #initiator: Initiator | undefined;
  #reader: MessageReader | undefined;
  #writer: WriteQueue | undefined;
  #detachListeners: (() => void) | undefined;

  constructor(clock: Clock, codec: WireCodec) {
    this.#clock = clock;
    this.#codec = codec;
  }

  get socket(): Socket | undefined {
    return this.#socket;
  }

  get initiator(): Initiator | undefined {
    return this.#initiator;
  }

  get reader(): MessageReader | undefined {
    return this.#reader;
  }

  get writable(): boolean {
    return this.#writer?.writable ?? false;
  }

  get queuedBytes(): number {
    return this.#writer?.queuedBytes ?? 0;
  }

  /** When a running timer fires, in the clock's milliseconds. */
  timerDue(timer: TimerName): number | undefined {
    return this.#timers.get(timer)?.due;
  }

  startTimer(timer: TimerName, seconds: number, fire: () => void): void {
    this.stopTimer(timer);
    const handle = this.#clock.setTimer(
      timer,
      seconds,
      () => {
        this.#timers.delete(timer);
        if (!this.discarded) fire();
      },
      { keepsProcessAlive: PROCESS_TIMERS.has(timer) },
    );
    this.#timers.set(timer, handle);
  }

  stopTimer(timer: TimerName): void {
    const handle = this.#timers.get(timer);
    if (handle === undefined) return;
    this.#clock.clear(handle);
    this.#timers.delete(timer);
  }

  /** The FSM's connection from now on. */
  attach(socket: Socket, initiator: Initiator, callbacks: SocketCallbacks): void {
    this.#socket = socket;
    this.#initiator = initiator;
    this.#reader = new MessageReader(this.#codec);
    this.#writer = new WriteQueue(socket, callbacks.drained);
    const onClose = () => callbacks.closed();
    socket.on('data', callbacks.data);
    socket.on('error', callbacks.error);
    socket.on('close', onClose);
    this.#detachListeners = () => {
      socket.off('data', callbacks.data);
      socket.off('error', callbacks.error);
      socket.off('close', onClose);
    };
  }

  /** Writes whole messages in order; `bytes` are not copied. */
  write(bytes: Uint8Array): void {
    this.#writer?.write(bytes);
  }

  /** Writes UPDATE messages in order, with the others of this turn of the event loop in one system call. */
  writeCoalesced(bytes: Uint8Array): void {
    this.#writer?.writeCoalesced(bytes);
  }

  /** Drops writes still waiting on a socket that pushed back: the connection is ending. */
  discardQueued(): void {
    this.#writer?.discard();
  }

  /**
   * Gives up the socket, which is no longer the FSM's: nothing more is read from it or reported
   * about it. Its errors are still absorbed, since a socket without an error listener throws.
   */
  detach(): Socket | undefined {
    const socket = this.#socket;
    if (socket === undefined) return undefined;
    this.#detachListeners?.();
    this.#writer?.release();
    socket.on('error', ignore);
    this.#socket = undefined;
    this.#initiator = undefined;
    this.#reader = undefined;
    this.#writer = undefined;
    this.#detachListeners = undefined;
    return socket;
  }

  cancelAttempts(): void {
    for (const attempt of this.attempts) attempt.cancel();
    this.attempts.clear();
  }

  /** Ends everything this FSM arranged: timers, attempts, and the socket, closed at once. */
  discard(): void {
    this.discarded = true;
    for (const handle of this.#timers.values()) this.#clock.clear(handle);
    this.#timers.clear();
    this.cancelAttempts();
    this.detach()?.destroy();
  }
}

function ignore(): void {}
