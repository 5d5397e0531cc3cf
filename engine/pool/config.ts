/**
 * The pool's configuration: whether batches may go to worker threads, how many threads, and which
 * implementation every thread runs. Options given in code win over the environment:
 * `PORTER_POOL=off|auto`, `PORTER_POOL_THREADS=N`, and `PORTER_IMPL=ts|native|auto` (engine/wire/index.ts).
 */
import os from 'node:os';
import { implementationFromEnv, type ImplementationChoice } from '../wire/index.ts';

/** `auto`: batches at or above the crossover sizes of dispatch.ts go to the pool; `off`: all run on the main thread. */
export type PoolMode = 'auto' | 'off';

export interface PoolConfig {
  mode: PoolMode;
  /** Worker threads; ignored when `mode` is off. */
  threads: number;
  /** Which implementation the main thread and the workers run. */
  implementation: ImplementationChoice;
}

export type ConfigResult = { ok: true; value: PoolConfig } | { ok: false; error: string };

/** The most threads the default gives, whatever the node's size: the batches a speaker hands the pool rarely run more at once. */
const DEFAULT_MAX_THREADS = 4;

/**
 * One worker per core but one, at most DEFAULT_MAX_THREADS: the main thread keeps a core for
 * sockets and timers (keepalives are due whatever the pool does), and a pool thread needs a core
 * of its own to be worth its transfers. A speaker on a large node shares it with the workloads.
 */
export function defaultThreads(cores = os.availableParallelism()): number {
  return Math.min(DEFAULT_MAX_THREADS, Math.max(1, cores - 1));
}

/** The configuration from the environment, with `overrides` (command-line options, say) taking precedence. */
export function poolConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<PoolConfig> = {}): ConfigResult {
  const mode = overrides.mode ?? env.PORTER_POOL ?? 'auto';
  if (mode !== 'auto' && mode !== 'off') return { ok: false, error: `PORTER_POOL must be auto or off, not "${mode}"` };
  let threads = overrides.threads ?? defaultThreads();
  if (overrides.threads === undefined && env.PORTER_POOL_THREADS !== undefined) threads = Number(env.PORTER_POOL_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    return { ok: false, error: `PORTER_POOL_THREADS must be an integer from 1 to 64, not "${overrides.threads ?? env.PORTER_POOL_THREADS}"` };
  }
  let implementation = overrides.implementation;
  if (implementation === undefined) {
    try {
      implementation = implementationFromEnv(env);
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
  return { ok: true, value: { mode, threads, implementation } };
}
