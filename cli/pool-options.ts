/**
 * The worker pool of the commands that run a BGP speaker (`porter bgp serve`, `porter speaker`,
 * `porter run`): its options, and the pool they ask for. Options win over the environment
 * (PORTER_POOL, PORTER_POOL_THREADS; PORTER_IMPL chooses TypeScript or the addon for all threads).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { describePool, EnginePool, poolConfig } from '../engine/pool/index.ts';

export interface PoolOptions {
  pool?: 'auto' | 'off';
  poolThreads?: number;
}

function threadCount(text: string): number {
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InvalidArgumentError('an integer from 1 to 64');
  return threads;
}

export function addPoolOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--pool <mode>', 'encode large UPDATE batches on worker threads (auto) or always on the main thread (off); default: PORTER_POOL, else auto')
        .choices(['auto', 'off']),
    )
    .addOption(new Option('--pool-threads <n>', 'worker threads of the pool; default: PORTER_POOL_THREADS, else one per core but one, at most 4').argParser(threadCount));
}

/** The pool the options and the environment ask for, and its startup line; throws saying what is wrong. */
export function startPool(options: PoolOptions): { pool: EnginePool; description: string } {
  const config = poolConfig(process.env, {
    ...(options.pool !== undefined && { mode: options.pool }),
    ...(options.poolThreads !== undefined && { threads: options.poolThreads }),
  });
  if (!config.ok) throw new Error(config.error);
  const made = EnginePool.create(config.value, { startThreads: true });
  if (!made.ok) throw new Error(made.error);
  // Update groups hand the pool their encodings; the other batch tasks are not used by a speaker.
  return { pool: made.value, description: describePool(made.value, ['encode-routes']) };
}
