/** Proves the best-path ranking benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenchmark } from './quick-run.ts';
import { RUNNERS, type RankingResults } from './ranking-results.ts';

// About 9 s alone, but its pools of worker threads share two cores with every other tier of
// `npm test`, where it has taken over 110 s: the bound is generous, not a timing.
test('ranking benchmark runs in --quick mode, every runner agrees, and several tie-breakers decide', { timeout: 300_000 }, () => {
  const { stdout, results } = runBenchmark<RankingResults>('bench/ranking.ts', ['--quick', '--runs', '1'], { node: ['--expose-gc'], timeoutMs: 290_000 });
  assert.match(stdout, /\| main thread, ts/);
  assert.match(stdout, /\| deciding tie-breaker/);

  assert.equal(results.quick, true);
  assert.equal(results.twoOverOne.length, 1);
  for (const runner of RUNNERS) {
    assert.equal(results.runners[runner].samplesNs.length, 1, runner);
    assert.equal(results.runners[runner].disagreements, 0, runner);
  }
  for (const tieBreaker of ['local-pref', 'as-path-length', 'origin', 'med', 'ebgp-over-ibgp', 'igp-cost', 'router-id', 'peer-address'] as const) {
    assert.ok((results.decidedBy[tieBreaker] ?? 0) > 0, `no destination decided by ${tieBreaker}`);
  }
  assert.ok(results.multipathSizes.slice(2).some((count) => count > 0), 'no multipath set of two paths or more');
  assert.ok(results.peakRssBytes > 0);
});
