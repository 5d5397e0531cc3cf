/** Proves the ECMP benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EcmpResults } from './ecmp-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('ecmp benchmark runs in --quick mode and records every case', () => {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'ecmp.json');
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/ecmp.ts', '--quick', '--runs', '1', '--json', json],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /\| batch selection/);
    assert.match(run.stdout, /\| table build/);

    const results = JSON.parse(readFileSync(json, 'utf8')) as EcmpResults;
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
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
