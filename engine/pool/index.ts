/**
 * The worker pool: stateless batch work (bulk decode and encode, ranking, flow hashing) in piscina
 * workers when a batch is large enough to pay for the trip, on the main thread otherwise.
 * docs/pool.md explains what runs where and why.
 */
export { EnginePool, describePool, type PoolInfo, type PoolOptions } from './pool.ts';
export { poolConfig, defaultThreads, type PoolConfig, type PoolMode, type ConfigResult } from './config.ts';
export { choosePlacement, CROSSOVER, SIZE_UNIT, type DispatchState } from './dispatch.ts';
export { rankBatch, rankPathOf, reasonName } from './rank-batch.ts';
export type * from './types.ts';
export { BEST_REASON } from './types.ts';
