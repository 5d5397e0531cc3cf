/**
 * A rate-limited work queue with client-go's semantics (k8s.io/client-go/util/workqueue): a key is
 * queued at most once however often it is added; a key added while its handler runs is handled
 * once more after that run, never twice at once; a failed key comes back after
 * max(per-key exponential backoff, overall token bucket), as client-go's
 * DefaultControllerRateLimiter does; success forgets the key's failures.
 *
 * Like client-go, the rate limit applies to retries only: plain adds are already collapsed by the
 * deduplication, and a reconcile that succeeds costs nothing to repeat.
 */

/** Time for the queue; tests pass a manual one. */
export interface QueueClock {
  now(): number;
  setTimeout(fire: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkQueueOptions {
  /** First retry delay; doubles per consecutive failure of a key. Default 5 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key backoff. Default 60 s. */
  maxDelayMs?: number;
  /** Token bucket refill rate for retries. Default 50 per second. */
  ratePerSecond?: number;
  /** Token bucket size. Default 200. */
  burst?: number;
  /** Keys handled at once (distinct keys only). Default 1. */
  concurrency?: number;
  clock?: QueueClock;
  /** Told of each failed run, before the retry is scheduled (for logs). */
  onError?: (key: string, error: unknown) => void;
}

/** Totals since the queue was made, for metrics. */
export interface WorkQueueCounters {
  /** Handler runs that succeeded. */
  processed: number;
  /** Handler runs that threw or rejected. */
  failures: number;
  /** Keys put back for a retry. */
  retries: number;
}

const realClock: QueueClock = {
  now: () => performance.now(),
  setTimeout: (fire, milliseconds) => setTimeout(fire, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** golang.org/x/time/rate's reservation: tokens may go negative, and the debt is the wait. */
class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes one token; answers how long to wait until it is really there. */
  reserve(now: number): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.rate) / 1000);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.rate) * 1000;
  }
}

interface Waiting {
  due: number;
  handle: unknown;
}

/** The queue; `start()` begins handling, keys added before it wait. */
export class WorkQueue {
  readonly #handler: (key: string) => Promise<void>;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #concurrency: number;
  readonly #clock: QueueClock;
  readonly #bucket: TokenBucket;
  readonly #onError: (key: string, error: unknown) => void;

  /** Ready keys in order; each is also in #dirty. */
  readonly #queue: string[] = [];
  /** Keys that need handling (queued, or re-added while processing). */
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #waiting = new Map<string, Waiting>();
  readonly #failures = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  #idleWaiters: (() => void)[] = [];
  #running = false;
  #stopped = false;
  readonly #counters: WorkQueueCounters = { processed: 0, failures: 0, retries: 0 };

  constructor(handler: (key: string) => Promise<void>, options: WorkQueueOptions = {}) {
    this.#handler = handler;
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
    this.#concurrency = Math.max(1, options.concurrency ?? 1);
    this.#clock = options.clock ?? realClock;
    this.#onError = options.onError ?? (() => {});
    this.#bucket = new TokenBucket(options.ratePerSecond ?? 50, options.burst ?? 200, this.#clock.now());
  }

  /** Keys ready to be handled (not those running or waiting for a delay). */
  get length(): number {
    return this.#queue.length;
  }

  /** Keys waiting for a delay (`addAfter`, retries). */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** A snapshot of the totals. */
  get counters(): WorkQueueCounters {
    return { ...this.#counters };
  }

  /** Queues a key unless it is queued already; ignored after `stop()`. */
  add(key: string): void {
    if (this.#stopped || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#pump();
  }

  /** Queues a key after a delay; of several delays for one key the earliest wins. */
  addAfter(key: string, milliseconds: number): void {
    if (this.#stopped) return;
    if (milliseconds <= 0) {
      this.add(key);
      return;
    }
    const due = this.#clock.now() + milliseconds;
    const existing = this.#waiting.get(key);
    if (existing && existing.due <= due) return;
    if (existing) this.#clock.clearTimeout(existing.handle);
    const handle = this.#clock.setTimeout(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, milliseconds);
    this.#waiting.set(key, { due, handle });
  }

  /** Queues a key after its rate-limited delay, counting one more failure for it. */
  addRateLimited(key: string): void {
    if (this.#stopped) return;
    this.#counters.retries += 1;
    this.addAfter(key, this.#delayFor(key));
  }

  /** Clears a key's failure count, so its next retry starts at the base delay. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Consecutive failures recorded for a key. */
  failuresOf(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Begins handling keys. */
  start(): void {
    if (this.#stopped || this.#running) return;
    this.#running = true;
    this.#pump();
  }

  /** Stops taking keys, drops delayed ones, and resolves when the handlers running have finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#running = false;
    for (const { handle } of this.#waiting.values()) this.#clock.clearTimeout(handle);
    this.#waiting.clear();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#settleIdle();
  }

  /**
   * Resolves when no key is ready or running. Keys waiting for a delay do not count: a retry may be
   * a minute away. Resolves at once for a queue that is stopped or idle.
   */
  onIdle(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** No key is ready or running now (keys waiting for a delay do not count). */
  get idle(): boolean {
    return this.#idle();
  }

  #delayFor(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const backoff = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** failures);
    return Math.max(backoff, this.#bucket.reserve(this.#clock.now()));
  }

  #pump(): void {
    while (this.#running && this.#processing.size < this.#concurrency && this.#queue.length > 0) {
      const key = this.#queue.shift() as string;
      this.#dirty.delete(key);
      this.#processing.add(key);
      const run = this.#run(key);
      this.#inFlight.add(run);
      void run.finally(() => this.#inFlight.delete(run));
    }
  }

  async #run(key: string): Promise<void> {
    let failed = false;
    try {
      // Called on a later microtask, so add() never runs a handler inside the caller's stack.
      await Promise.resolve().then(() => this.#handler(key));
    } catch (error) {
      failed = true;
      this.#onError(key, error);
    }
    this.#processing.delete(key);
    if (failed) {
      this.#counters.failures += 1;
      this.addRateLimited(key);
    } else {
      this.#counters.processed += 1;
      this.forget(key);
    }
    if (this.#dirty.has(key) && !this.#stopped) this.#queue.push(key);
    this.#pump();
    this.#settleIdle();
  }

  #idle(): boolean {
    return this.#processing.size === 0 && (this.#queue.length === 0 || this.#stopped);
  }

  #settleIdle(): void {
    if (!this.#idle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
