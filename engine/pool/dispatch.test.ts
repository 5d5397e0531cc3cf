/** Placement by the crossover sizes, and the configuration from options and environment. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { defaultThreads, poolConfig } from './config.ts';
import { choosePlacement, CROSSOVER, type DispatchState } from './dispatch.ts';
import { describePool, EnginePool } from './pool.ts';
import type { Placement, PoolTask } from './types.ts';

describe('choosePlacement', () => {
  const native: DispatchState = { threads: 1, implementation: 'native' };
  const ts: DispatchState = { threads: 2, implementation: 'ts' };
  const off: DispatchState = { threads: 0, implementation: 'native' };
  const cases: [string, PoolTask, number, DispatchState, Placement][] = [
    ['decode below the native crossover', 'decode-routes', CROSSOVER['decode-routes'].native - 1, native, 'native'],
    ['decode at the native crossover', 'decode-routes', CROSSOVER['decode-routes'].native, native, 'pool'],
    ['decode at the ts crossover, ts', 'decode-routes', CROSSOVER['decode-routes'].ts, ts, 'pool'],
    ['decode below the ts crossover, ts', 'decode-routes', CROSSOVER['decode-routes'].ts - 1, ts, 'ts'],
    ['encode below the native crossover', 'encode-routes', CROSSOVER['encode-routes'].native - 1, native, 'native'],
    ['encode at the native crossover', 'encode-routes', CROSSOVER['encode-routes'].native, native, 'pool'],
    ['encode below the ts crossover, ts', 'encode-routes', CROSSOVER['encode-routes'].ts - 1, ts, 'ts'],
    ['ranking stays on the main thread, in TypeScript', 'rank-destinations', 1e9, native, 'ts'],
    ['ranking goes to the pool from an override', 'rank-destinations', 1000, { ...native, crossover: { 'rank-destinations': 1000 } }, 'pool'],
    ['hash below the native crossover', 'hash-flows', CROSSOVER['hash-flows'].native - 1, native, 'native'],
    ['hash at the ts crossover, ts', 'hash-flows', CROSSOVER['hash-flows'].ts, ts, 'pool'],
    ['pool off: a huge decode stays on the main thread', 'decode-routes', 1e9, off, 'native'],
    ['pool off: a huge ranking stays on the main thread', 'rank-destinations', 1e9, off, 'ts'],
    ['pool off, ts: TypeScript on the main thread', 'encode-routes', 1e9, { ...off, implementation: 'ts' }, 'ts'],
    ['an override replaces the crossover', 'encode-routes', 10, { ...native, crossover: { 'encode-routes': 10 } }, 'pool'],
    ['an override of another task changes nothing', 'encode-routes', 10, { ...native, crossover: { 'hash-flows': 0 } }, 'native'],
  ];
  for (const [name, task, size, state, expected] of cases) {
    test(name, () => assert.equal(choosePlacement(task, size, state), expected));
  }

  test('the TypeScript crossovers are no larger than the native ones (TypeScript work costs more)', () => {
    for (const sizes of Object.values(CROSSOVER)) assert.ok(sizes.ts <= sizes.native);
  });
});

describe('poolConfig', () => {
  const cases: [string, NodeJS.ProcessEnv, object, object | string][] = [
    ['defaults', {}, {}, { mode: 'auto', threads: defaultThreads(), implementation: 'auto' }],
    ['PORTER_POOL=off', { PORTER_POOL: 'off' }, {}, { mode: 'off', threads: defaultThreads(), implementation: 'auto' }],
    ['PORTER_POOL_THREADS=3', { PORTER_POOL_THREADS: '3' }, {}, { mode: 'auto', threads: 3, implementation: 'auto' }],
    ['PORTER_IMPL=ts', { PORTER_IMPL: 'ts' }, {}, { mode: 'auto', threads: defaultThreads(), implementation: 'ts' }],
    ['options win over the environment', { PORTER_POOL: 'off', PORTER_POOL_THREADS: '3' }, { mode: 'auto', threads: 2 },
      { mode: 'auto', threads: 2, implementation: 'auto' }],
    ['PORTER_POOL=maybe', { PORTER_POOL: 'maybe' }, {}, 'PORTER_POOL must be auto or off, not "maybe"'],
    ['PORTER_POOL_THREADS=0', { PORTER_POOL_THREADS: '0' }, {}, 'PORTER_POOL_THREADS must be an integer from 1 to 64, not "0"'],
    ['PORTER_POOL_THREADS=two', { PORTER_POOL_THREADS: 'two' }, {}, 'PORTER_POOL_THREADS must be an integer from 1 to 64, not "two"'],
    ['PORTER_IMPL=rust', { PORTER_IMPL: 'rust' }, {}, 'PORTER_IMPL must be auto, ts or native, not "rust"'],
  ];
  for (const [name, env, overrides, expected] of cases) {
    test(name, () => {
      const config = poolConfig(env, overrides);
      assert.deepEqual(config, typeof expected === 'string' ? { ok: false, error: expected } : { ok: true, value: expected });
    });
  }

  test('one thread per core but one, and at least one', () => {
    assert.deepEqual([1, 2, 4, 5, 16].map(defaultThreads), [1, 1, 3, 4, 4]);
  });
});

describe('EnginePool placement, info and startup line', () => {
  test('off: no worker, every batch on the main thread, threads 0', async () => {
    const made = EnginePool.create({ mode: 'off', threads: 4, implementation: 'ts' });
    assert.ok(made.ok);
    const pool = made.value;
    assert.deepEqual(pool.info(), { implementation: 'ts', threads: 0 });
    assert.equal(pool.placement('decode-routes', 1e9), 'ts');
    assert.equal(describePool(pool), 'worker pool: off; batches run on the main thread, TypeScript');
    await pool.close();
  });

  test('PORTER_IMPL=ts through the configuration: TypeScript everywhere, the pool for large batches', async () => {
    const config = poolConfig({ PORTER_IMPL: 'ts', PORTER_POOL_THREADS: '2' });
    assert.ok(config.ok);
    const made = EnginePool.create(config.value);
    assert.ok(made.ok);
    const pool = made.value;
    assert.deepEqual(pool.info(), { implementation: 'ts', threads: 2 });
    assert.equal(pool.placement('encode-routes', CROSSOVER['encode-routes'].ts), 'pool');
    assert.equal(pool.placement('encode-routes', CROSSOVER['encode-routes'].ts - 1), 'ts');
    assert.match(describePool(pool), /^worker pool: 2 threads, TypeScript in each; to the pool: decode-routes from [\d,]+ bytes, /);
    await pool.close();
  });
});
