/** Proves the ECMP benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EcmpResults } from './ecmp-results.ts';
import { runBenchmark } from './quick-run.ts';

test('ecmp benchmark runs in --quick mode and records every case', () => {
  const { stdout, results } = runBenchmark<EcmpResults>('bench/ecmp.ts', ['--quick', '--runs', '1'], { node: ['--expose-gc'], timeoutMs: 120_000 });
  assert.match(stdout, /\| batch selection/);
  assert.match(stdout, /\| table build/);

  assert.equal(results.quick, true);
  assert.equal(results.batches.length, 4);
  assert.equal(results.builds.length, 3);
  const engines = results.native.available ? ['ts', 'native'] : ['ts'];
  for (const entry of [...results.batches, ...results.builds]) {
    assert.deepEqual(Object.keys(entry.engines), engines, entry.name);
    if (results.native.available) assert.equal(entry.identical, true, entry.name);
  }
  const byPolicy = new Map(results.disruption.map((row) => [row.policy.split(',')[0], row]));
  assert.equal(byPolicy.get('resilient')?.movedBeyondOwn, 0);
  assert.ok(byPolicy.get('maglev')!.movedBeyondOwn <= 0.01);
  assert.ok(byPolicy.get('modulo')!.moved > 0.5);
});
