/**
 * Timing that keeps the usual microbenchmark traps out of the numbers: every result feeds a checksum
 * (so no work can be optimised away), garbage left by earlier runs is collected before each timed run
 * (when node runs with --expose-gc), and samples are summarised by their median.
 */

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether node runs with --expose-gc, without which earlier runs' garbage may be collected inside a timed run. */
export const gcExposed = typeof gc === 'function';

/** Collects the garbage of earlier runs before a timed one, when node runs with --expose-gc. */
export function collectGarbage(): void {
  gc?.();
}

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

/** Samples of the copy references: they are cheap and short, so more of them steady the median. */
const MIN_COPY_SAMPLES = 11;

/**
 * Nanoseconds of single copies of `source`, each timed like a codec run (one pass, after a garbage
 * collection): `memcpy` into a buffer of the same size touched beforehand
 * (`Uint8Array.prototype.set` between arrays of one type, which V8 does with memmove), the machine's
 * copy rate; `newBuffer` into a buffer allocated for the copy, which adds what an encoder returning
 * new bytes also pays: allocation and the first touch of its pages.
 */
export function copySamples(source: Uint8Array, runs: number): { memcpy: number[]; newBuffer: number[] } {
  const target = new Uint8Array(source.length);
  target.set(source);
  const last = (copied: Uint8Array) => copied[copied.length - 1] ?? 0;
  const samples = { memcpy: [] as number[], newBuffer: [] as number[] };
  for (let run = 0; run < Math.max(runs, MIN_COPY_SAMPLES); run++) {
    samples.memcpy.push(timeRun(() => {
      target.set(source);
      return target;
    }, last));
    samples.newBuffer.push(timeRun(() => {
      const copy = new Uint8Array(source.length);
      copy.set(source);
      return copy;
    }, last));
  }
  return samples;
}
