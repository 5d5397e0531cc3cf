/** Proves the wire codec benchmark still runs: quick sizes, one run, and no assertion on timing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WireCodecResults } from './wire-codec-results.ts';
import { runBenchmark } from './quick-run.ts';

test('wire-codec benchmark runs in --quick mode and records every case', () => {
  const { stdout, results } = runBenchmark<WireCodecResults>('bench/wire-codec.ts', ['--quick', '--runs', '1'], { node: ['--expose-gc'], timeoutMs: 120_000 });
  assert.match(stdout, /\| encodeRoutes/);
  assert.match(stdout, /\| decodeRoutes/);

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
});
