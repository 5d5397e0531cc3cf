/**
 * Time for the session driver: the current time and one-shot named timers. The real clock runs on
 * `setTimeout`; the manual clock moves only when a test advances it, so timer behaviour (keepalives,
 * hold time expiry, backoff) is tested without waiting.
 */

/** A timer armed on a clock. */
export interface TimerHandle {
  /** What the timer is for, as given to `setTimer`. */
  readonly name: string;
  /** When it fires, in the milliseconds of `now()`. */
  readonly due: number;
}

export interface TimerOptions {
  /**
   * Keep the process running while the timer waits. Off by default: a timer of a live connection
   * need not, the socket does; a timer that is all a peer waits on (its next connection attempt)
   * must, or a speaker with nothing else to do would exit.
   */
  keepsProcessAlive?: boolean;
}

export interface Clock {
  /** Milliseconds, monotonic; only differences between readings mean something. */
  now(): number;
  /** Calls `fire` once, `seconds` from now, unless cleared first. */
  setTimer(name: string, seconds: number, fire: () => void, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; clearing one that fired or was cleared already does nothing. */
  clear(timer: TimerHandle): void;
}

class RealTimer implements TimerHandle {
  constructor(
    readonly name: string,
    readonly due: number,
    readonly timeout: NodeJS.Timeout,
  ) {}
}

/** The clock of a running speaker: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(name, seconds, fire, options = {}) {
    const milliseconds = Math.max(0, seconds * 1000);
    const timeout = setTimeout(fire, milliseconds);
    if (options.keepsProcessAlive !== true) timeout.unref();
    return new RealTimer(name, performance.now() + milliseconds, timeout);
  },
  clear(timer) {
    if (timer instanceof RealTimer) clearTimeout(timer.timeout);
  },
};

class ManualTimer implements TimerHandle {
  constructor(
    readonly name: string,
    readonly due: number,
    /** Arming order, which breaks ties between timers due at the same time. */
    readonly sequence: number,
    readonly fire: () => void,
  ) {}
}

/** A clock that stands still until `advance()` moves it; for tests. Starts at 0. */
export class ManualClock implements Clock {
  #now = 0;
  #sequence = 0;
  readonly #timers = new Set<ManualTimer>();

  now(): number {
    return this.#now;
  }

  setTimer(name: string, seconds: number, fire: () => void): TimerHandle {
    const timer = new ManualTimer(name, this.#now + Math.max(0, seconds * 1000), this.#sequence++, fire);
    this.#timers.add(timer);
    return timer;
  }

  clear(timer: TimerHandle): void {
    if (timer instanceof ManualTimer) this.#timers.delete(timer);
  }

  /**
   * Moves time forward by `seconds`, firing every timer that falls due on the way, soonest first,
   * with the clock set to its due time; timers armed by those that fire run too if they fall due
   * within the interval.
   */
  advance(seconds: number): void {
    const target = this.#now + seconds * 1000;
    for (let timer = this.#next(target); timer !== undefined; timer = this.#next(target)) {
      this.#timers.delete(timer);
      this.#now = timer.due;
      timer.fire();
    }
    this.#now = target;
  }

  /** The timers waiting, soonest first. */
  pending(): { name: string; due: number }[] {
    return [...this.#timers].sort(byDue).map(({ name, due }) => ({ name, due }));
  }

  #next(until: number): ManualTimer | undefined {
    let soonest: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.due <= until && (soonest === undefined || byDue(timer, soonest) < 0)) soonest = timer;
    }
    return soonest;
  }
}

function byDue(a: ManualTimer, b: ManualTimer): number {
  return a.due - b.due || a.sequence - b.sequence;
}
