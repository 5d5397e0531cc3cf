/**
 * Timing that keeps the usual microbenchmark traps out of the numbers: every result feeds a checksum
 * (so no work can be optimised away), garbage left by earlier runs is collected before each timed run
 * (when node runs with --expose-gc), and samples are summarised by their median.
 */

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether node runs with --expose-gc, without which earlier runs' garbage may be collected inside a timed run. */
export const gcExposed = typeof gc === 'function';

let checksum = 0;

/** Folds a value derived from a result into the checksum the benchmark prints. */
export function keep(value: number): void {
  checksum = (Math.imul(checksum, 31) + (value >>> 0)) >>> 0;
}

export function currentChecksum(): number {
  return checksum;
}

/** Nanoseconds taken by `run`; `observe` turns its result into a number for the checksum. */
export function timeRun<T>(run: () => T, observe: (result: T) => number): number {
  gc?.();
  const start = process.hrtime.bigint();
  const result = run();
  const elapsed = process.hrtime.bigint() - start;
  keep(observe(result));
  return Number(elapsed);
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A copy repeated until a sample moves at least this many octets, so small sizes are not lost in timer noise. */
const MEMCPY_SAMPLE_OCTETS = 64 * 1024 * 1024;

/**
 * Nanoseconds per copy of `source` into a buffer of the same size: `Uint8Array.prototype.set` between
 * two arrays of one type, which V8 does with memmove. Both buffers are touched by a warm-up copy first,
 * so page faults are not counted: this is the machine's copy rate, the floor for writing those octets.
 */
export function memcpySamples(source: Uint8Array, runs: number): number[] {
  const target = new Uint8Array(source.length);
  target.set(source);
  const copies = Math.max(1, Math.ceil(MEMCPY_SAMPLE_OCTETS / Math.max(1, source.length)));
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const elapsed = timeRun(
      () => {
        for (let copy = 0; copy < copies; copy++) target.set(source);
        return target;
      },
      (copied) => copied[copied.length - 1] ?? 0,
    );
    samples.push(elapsed / copies);
  }
  return samples;
}
