/** Proves the route reflector benchmark still runs: 20 clients × 5 prefixes, one run, no assertion on timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ReflectorPeersResults } from './reflector-peers-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('reflector-peers benchmark runs in --quick mode: every client ends with every other client\'s prefixes', () => {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'reflector-peers.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/reflector-peers.ts', '--quick', '--peers', '20', '--prefixes', '5', '--runs', '1', '--json', json],
      { cwd: root, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
    );
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /\| full convergence \(s\)/);

    const results = JSON.parse(readFileSync(json, 'utf8')) as ReflectorPeersResults;
    assert.equal(results.quick, true);
    assert.deepEqual([results.peers, results.prefixes, results.runs], [20, 5, 1]);
    const implementations = results.native.available ? ['ts', 'native'] : ['ts'];
    assert.deepEqual(Object.keys(results.implementations).sort(), [...implementations].sort());
    for (const name of implementations) {
      const [sample] = results.implementations[name as 'ts' | 'native']!.samples;
      assert.equal(sample.reflector.established, 20, name);
      assert.deepEqual(sample.reflector.errors, [], name);
      // Each client is sent the other 19 clients' routes, one UPDATE per announcing client here, and End-of-RIB.
      assert.ok(sample.tester.received.update.messages >= 20 * 19, name);
      assert.equal(sample.tester.received.open.messages, 20, name);
      assert.ok(sample.reflector.peakRssBytes > 0 && sample.reflector.cpuUserSeconds > 0, name);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
