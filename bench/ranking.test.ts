/** Proves the best-path ranking benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RUNNERS, type RankingResults } from './ranking-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// About 9 s alone, but its pools of worker threads share two cores with every other tier of
// `npm test`, where it has taken over 110 s: the bound is generous, not a timing.
test('ranking benchmark runs in --quick mode, every runner agrees, and several tie-breakers decide', { timeout: 300_000 }, () => {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'ranking.json');
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/ranking.ts', '--quick', '--runs', '1', '--json', json],
      { cwd: root, encoding: 'utf8', timeout: 290_000 },
    );
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /\| main thread, ts/);
    assert.match(run.stdout, /\| deciding tie-breaker/);

    const results = JSON.parse(readFileSync(json, 'utf8')) as RankingResults;
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
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
