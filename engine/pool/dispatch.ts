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
 * otherwise run (ranking has no native form, so its native entry is the TypeScript one).
 *
 * Measured by bench/pool.ts ("crossover" table, bench/README.md): the first size of its ladder at
 * which the main thread spends less time (event-loop active time) handing the batch to one worker
 * and taking the answer back than running the batch itself, on the 2-core machine of
 * bench/README.md. docs/pool.md gives the numbers behind each constant.
 */
export const CROSSOVER: Record<PoolTask, Record<'native' | 'ts', number>> = {
  'decode-routes': { native: 65_536, ts: 4_096 },
  'encode-routes': { native: 16_384, ts: 1_024 },
  'rank-destinations': { native: 1_024, ts: 1_024 },
  'hash-flows': { native: 262_144, ts: 32_768 },
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
