/**
 * Where each batch runs. A pool worker costs the main thread a fixed price per batch (posting the
 * request, waking on the answer, unpacking its records) and frees it from the batch's own work;
 * below a size that price is more than the work, and the batch runs on the main thread instead.
 */
import type { Placement, PoolTask } from './types.ts';

/** How each task's batch size is counted. */
export const SIZE_UNIT: Record<PoolTask, string> = {
  'decode-routes': 'bytes of UPDATE messages',
  'encode-routes': 'routes',
  'rank-destinations': 'candidate paths',
  'hash-flows': 'flows',
};

/**
 * The smallest batch the pool takes, by task and by the implementation the main thread would
 * otherwise run (ranking has no native form, so both its entries are the TypeScript one).
 *
 * Measured by bench/pool.ts (bench/README.md, "pool", run of 2026-11-26 at commit fdd523c, 2-core
 * EPYC under a load average near 25, so the figures are rough): the first size of its ladder from
 * which the main thread's event-loop active time to hand a batch to one worker and take the answer
 * back stays below the batch's own time on the main thread.
 * - decode-routes, ts: from 5,692 bytes (main 422 µs in the pool against 1,491 µs inline).
 * - decode-routes, native: no crossover up to 336,076 bytes (2,197 µs against 1,029 µs there): the
 *   addon decodes about as fast as the answer's columns and records can be received. Bursts of
 *   1 MiB and more still go to the pool, where a 500,000-route burst (2.9 MB) stalled the main
 *   thread 3.4 ms at most instead of 19 ms.
 * - encode-routes: native from 16,384 routes (368 µs against 456 µs; at 4,096, 384 against 289), in
 *   the run of 2026-11-26 at commit da728cc under a load average near 8, the sizes update groups
 *   hand the pool (the run above had put it at 4,096); ts from 64 (672 against 2,533).
 * - rank-destinations: none up to 6,046 paths (33,382 µs against 27,801 µs): packing a path's
 *   ranking values costs the main thread as much as ranking it, so ranking stays on the main thread.
 * - hash-flows: native from 65,536 flows (357 µs against 548 µs), ts from 4,096 (242 against 287).
 */
export const CROSSOVER: Record<PoolTask, Record<'native' | 'ts', number>> = {
  'decode-routes': { native: 1_048_576, ts: 5_692 },
  'encode-routes': { native: 16_384, ts: 64 },
  'rank-destinations': { native: Number.POSITIVE_INFINITY, ts: Number.POSITIVE_INFINITY },
  'hash-flows': { native: 65_536, ts: 4_096 },
};

export interface DispatchState {
  /** Worker threads available; 0 when the pool is off. */
  threads: number;
  /** The implementation of the main thread (and of the workers). */
  implementation: 'native' | 'ts';
  /** Sizes that replace CROSSOVER's, for benchmarks and tests (0 sends every batch of the task to the pool). */
  crossover?: Partial<Record<PoolTask, number>>;
}

/** Where a batch of `size` (in SIZE_UNIT) of `task` runs. */
export function choosePlacement(task: PoolTask, size: number, state: DispatchState): Placement {
  const mainThread: Placement = task === 'rank-destinations' ? 'ts' : state.implementation;
  if (state.threads === 0) return mainThread;
  return size >= (state.crossover?.[task] ?? CROSSOVER[task][state.implementation]) ? 'pool' : mainThread;
}
