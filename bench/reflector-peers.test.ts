/** Proves the route reflector benchmark still runs: 20 clients × 5 prefixes, one run, no assertion on timing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenchmark } from './quick-run.ts';
import type { ReflectorPeersResults } from './reflector-peers-results.ts';

test('reflector-peers benchmark runs in --quick mode: every client ends with every other client\'s prefixes', () => {
  const { stdout, results } = runBenchmark<ReflectorPeersResults>('bench/reflector-peers.ts', ['--quick', '--peers', '20', '--prefixes', '5', '--runs', '1'], { timeoutMs: 120_000, killSignal: 'SIGKILL' });
  assert.match(stdout, /\| full convergence \(s\)/);

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
});
