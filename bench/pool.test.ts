/** Proves the worker pool benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PoolResults } from './pool-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('pool benchmark runs in --quick mode and records every case', { timeout: 300_000 }, () => {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'pool.json');
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/pool.ts', '--quick', '--runs', '1', '--json', json],
      { cwd: root, encoding: 'utf8', timeout: 280_000 },
    );
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /\| bulk \(IPv4/);
    const results = JSON.parse(readFileSync(json, 'utf8')) as PoolResults;
    assert.equal(results.quick, true);
    assert.deepEqual(results.throughput.map((entry) => entry.task), ['encodeRoutes', 'decodeRoutes']);
    for (const entry of results.throughput) assert.equal(entry.identical, true, entry.task);
    assert.deepEqual(results.crossovers.map((entry) => entry.task), ['decode-routes', 'encode-routes', 'rank-destinations', 'hash-flows']);
    assert.equal(results.stalls.length, 2);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
