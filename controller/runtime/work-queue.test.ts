import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue, type QueueClock } from './work-queue.ts';

/** A clock that moves only when the test advances it. */
class FakeClock implements QueueClock {
  time = 0;
  #next = 0;
  readonly timers = new Map<number, { due: number; fire: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fire: () => void, milliseconds: number): unknown {
    const id = this.#next++;
    this.timers.set(id, { due: this.time + milliseconds, fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** The delays of the timers armed, from now. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.due - this.time).sort((a, b) => a - b);
  }

  advance(milliseconds: number): void {
    const target = this.time + milliseconds;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.due <= target).sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].due;
      due[1].fire();
    }
    this.time = target;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Lets pending handler promises settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('WorkQueue', () => {
  it('collapses repeated adds of a pending key', async () => {
    const handled: string[] = [];
    const queue = new WorkQueue(async (key) => void handled.push(key), { clock: new FakeClock() });
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    queue.start();
    await queue.onIdle();
    assert.deepEqual(handled, ['a', 'b']);
    assert.equal(queue.counters.processed, 2);
  });

  it('handles a key added during its run once more after, never twice at once', async () => {
    const gate = deferred();
    const handled: string[] = [];
    let running = 0;
    let most = 0;
    const queue = new WorkQueue(
      async (key) => {
        running += 1;
        most = Math.max(most, running);
        handled.push(key);
        if (handled.length === 1) await gate.promise;
        running -= 1;
      },
      { clock: new FakeClock(), concurrency: 4 },
    );
    queue.start();
    queue.add('a');
    await settle();
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'a running key waits in the dirty set, not the queue');
    gate.resolve();
    await queue.onIdle();
    assert.deepEqual(handled, ['a', 'a']);
    assert.equal(most, 1);
  });

  it('runs distinct keys concurrently up to the limit', async () => {
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        started.push(key);
        const gate = deferred();
        gates.set(key, gate);
        await gate.promise;
      },
      { clock: new FakeClock(), concurrency: 2 },
    );
    queue.start();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    gates.get('a')?.resolve();
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c']);
    gates.get('b')?.resolve();
    gates.get('c')?.resolve();
    await queue.onIdle();
  });

  it('retries a failing key with exponential backoff, capped, and forgets it on success', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const errors: string[] = [];
    const queue = new WorkQueue(
      async () => {
        attempts += 1;
        if (attempts <= 5) throw new Error(`attempt ${attempts}`);
      },
      { clock, baseDelayMs: 5, maxDelayMs: 40, onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`) },
    );
    queue.start();
    queue.add('a');
    const delays: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await queue.onIdle();
      delays.push(...clock.pending());
      assert.equal(queue.waiting, 1);
      clock.advance(clock.pending()[0]);
    }
    await queue.onIdle();
    assert.deepEqual(delays, [5, 10, 20, 40, 40]);
    assert.equal(attempts, 6);
    assert.equal(queue.failuresOf('a'), 0);
    assert.deepEqual(queue.counters, { processed: 1, failures: 5, retries: 5 });
    assert.equal(errors[0], 'a: attempt 1');
  });

  it('retries a handler that throws synchronously', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const queue = new WorkQueue(
      ((key: string) => {
        attempts += 1;
        if (attempts === 1) throw new Error(key);
        return Promise.resolve();
      }) as (key: string) => Promise<void>,
      { clock },
    );
    queue.start();
    queue.add('a');
    await queue.onIdle();
    clock.advance(5);
    await queue.onIdle();
    assert.equal(attempts, 2);
  });

  it('holds retries to the token bucket once the burst is spent', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue(
      async () => {
        throw new Error('no');
      },
      { clock, baseDelayMs: 1, ratePerSecond: 10, burst: 2 },
    );
    queue.start();
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    await queue.onIdle();
    assert.deepEqual(clock.pending(), [1, 1, 100, 200]);
    await queue.stop();
  });

  it('keeps the earliest of several delays for one key', async () => {
    const clock = new FakeClock();
    const handled: string[] = [];
    const queue = new WorkQueue(async (key) => void handled.push(key), { clock });
    queue.start();
    queue.addAfter('a', 100);
    queue.addAfter('a', 30);
    queue.addAfter('a', 60);
    assert.deepEqual(clock.pending(), [30]);
    clock.advance(29);
    await queue.onIdle();
    assert.deepEqual(handled, []);
    clock.advance(1);
    await queue.onIdle();
    assert.deepEqual(handled, ['a']);
    clock.advance(100);
    queue.addAfter('b', 0);
    await queue.onIdle();
    assert.deepEqual(handled, ['a', 'b']);
  });

  it('stop waits for running handlers, drops delayed keys and ignores later adds', async () => {
    const clock = new FakeClock();
    const gate = deferred();
    const handled: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        handled.push(key);
        await gate.promise;
      },
      { clock },
    );
    queue.start();
    queue.add('a');
    queue.addAfter('b', 10);
    await settle();
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false);
    assert.equal(clock.timers.size, 0);
    gate.resolve();
    await stopping;
    queue.add('c');
    await queue.onIdle();
    assert.deepEqual(handled, ['a']);
  });

  it('waits for start before handling', async () => {
    const handled: string[] = [];
    const queue = new WorkQueue(async (key) => void handled.push(key), { clock: new FakeClock() });
    queue.add('a');
    await settle();
    assert.deepEqual(handled, []);
    queue.start();
    await queue.onIdle();
    assert.deepEqual(handled, ['a']);
  });
});
