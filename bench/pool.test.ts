/** Proves the worker pool benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PoolResults } from './pool-results.ts';
import { runBenchmark } from './quick-run.ts';

test('pool benchmark runs in --quick mode and records every case', { timeout: 300_000 }, () => {
  const { stdout, results } = runBenchmark<PoolResults>('bench/pool.ts', ['--quick', '--runs', '1'], { node: ['--expose-gc'], timeoutMs: 280_000 });
  assert.match(stdout, /\| bulk \(IPv4/);
  assert.equal(results.quick, true);
  assert.deepEqual(results.throughput.map((entry) => entry.task), ['encodeRoutes', 'decodeRoutes']);
  for (const entry of results.throughput) assert.equal(entry.identical, true, entry.task);
  assert.deepEqual(results.crossovers.map((entry) => entry.task), ['decode-routes', 'encode-routes', 'rank-destinations', 'hash-flows']);
  assert.equal(results.stalls.length, 2);
});
