/** Proves the wire codec benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WireCodecResults } from './wire-codec-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('wire-codec benchmark runs in --quick mode and records every case', () => {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'wire-codec.json');
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/wire-codec.ts', '--quick', '--runs', '1', '--json', json],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /\| encodeRoutes/);
    assert.match(run.stdout, /\| decodeRoutes/);

    const results = JSON.parse(readFileSync(json, 'utf8')) as WireCodecResults;
    assert.equal(results.quick, true);
    assert.equal(results.gcExposed, true);
    assert.equal(results.cases.length, 6);
    const codecs = results.native.available ? ['ts', 'native'] : ['ts'];
    for (const result of results.cases) {
      assert.deepEqual(result.warnings, [], result.name);
      assert.ok(result.updateOctets > 0 && result.messages > 0, result.name);
      assert.deepEqual(Object.keys(result.codecs), codecs, result.name);
      for (const codec of codecs) {
        for (const operation of ['encode', 'decode'] as const) {
          const timing = result.codecs[codec as 'ts' | 'native']![operation];
          assert.equal(timing.samplesNs.length, 1, `${result.name} ${codec} ${operation}`);
          assert.ok(Number.isFinite(timing.prefixesPerSecond), `${result.name} ${codec} ${operation}`);
        }
      }
      if (results.native.available) assert.deepEqual(result.identical, { encode: true, decode: true }, result.name);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
