/**
 * The Rust engine against the TypeScript reference: identical tables and next-hop indices on random
 * groups, policies and batches (fast-check), identical refusals, and the engine selection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { describeEcmpSelection, selectEcmp } from './index.ts';
import { loadNativeEcmp } from './native-ecmp.ts';
import { randomFlows } from './random-flows.ts';
import { tsEcmp } from './ts-ecmp.ts';
import type { EcmpEngine, FlowFamily, HashFields, NextHopGroup, PolicyConfig } from './types.ts';

function native(): EcmpEngine {
  const loaded = loadNativeEcmp();
  if ('error' in loaded) assert.fail(loaded.error);
  return loaded;
}

const groupArbitrary = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 40 })
  .chain((names) => fc.tuple(fc.constant(names), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: names.length, maxLength: names.length })))
  .map(([names, weights]): NextHopGroup => ({ nextHops: names.map((name, i) => ({ name, weight: weights[i] })) }));

const configArbitrary: fc.Arbitrary<PolicyConfig> = fc.oneof(
  fc.constant<PolicyConfig>({ policy: 'modulo' }),
  fc.integer({ min: 1, max: 4096 }).map((size): PolicyConfig => ({ policy: 'resilient', size })),
  fc.constantFrom(2, 7, 41, 251, 4093, 65_537, 65_536, 1000).map((size): PolicyConfig => ({ policy: 'maglev', size })),
);

test('native tables equal the reference, rebuilt from the previous one too', () => {
  const engine = native();
  fc.assert(
    fc.property(groupArbitrary, groupArbitrary, configArbitrary, (first, second, config) => {
      const [ts, rust] = [tsEcmp.buildTable(first, config), engine.buildTable(first, config)];
      assert.deepEqual(rust, ts);
      if (!ts.ok) return;
      const previous = { group: first, table: ts.value.entries };
      assert.deepEqual(engine.buildTable(second, config, previous), tsEcmp.buildTable(second, config, previous));
    }),
    { numRuns: 60 },
  );
});

test('native batches equal the reference on random flows', () => {
  const engine = native();
  fc.assert(
    fc.property(
      groupArbitrary,
      configArbitrary,
      fc.constantFrom<FlowFamily>('ipv4', 'ipv6'),
      fc.constantFrom<HashFields>('five-tuple', 'l3'),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 1, max: 0xffffffff }),
      (group, config, family, fields, seed, count, flowSeed) => {
        const table = tsEcmp.buildTable(group, config);
        if (!table.ok) return;
        const flows = randomFlows(family, count, flowSeed);
        const hash = { fields, seed };
        assert.deepEqual(engine.selectBatch(table.value, flows, hash), tsEcmp.selectBatch(table.value, flows, hash));
      },
    ),
    { numRuns: 100 },
  );
});

test('native refuses the groups and sizes the reference refuses, with the same words', () => {
  const engine = native();
  const table: [NextHopGroup, PolicyConfig][] = [
    [{ nextHops: [] }, { policy: 'maglev' }],
    [{ nextHops: [{ name: 'a', weight: 1.5 }] }, { policy: 'modulo' }],
    [{ nextHops: [{ name: 'a', weight: 2 ** 32 }] }, { policy: 'modulo' }],
    [{ nextHops: [{ name: 'a', weight: 1 }] }, { policy: 'maglev', size: 10.5 }],
    [{ nextHops: [{ name: 'a', weight: 1 }] }, { policy: 'resilient', size: -1 }],
    [{ nextHops: [{ name: 'a', weight: 1 }] }, { policy: 'consistent' as PolicyConfig['policy'] }],
  ];
  for (const [group, config] of table) {
    const expected = tsEcmp.buildTable(group, config);
    assert.equal(expected.ok, false, JSON.stringify([group, config]));
    assert.deepEqual(engine.buildTable(group, config), expected);
  }
});

test('the addon refuses batches shorter than their count', () => {
  const built = native().buildTable({ nextHops: [{ name: 'a', weight: 1 }] }, { policy: 'modulo' });
  assert.ok(built.ok);
  const flows = { family: 'ipv4' as const, count: 3, words: new Uint32Array(8) };
  assert.throws(() => native().selectBatch(built.value, flows, { fields: 'l3', seed: 0 }), /3 flows of 4 words/);
});

test('PORTER_IMPL chooses the engine, and the choice says why', () => {
  const ts = selectEcmp('ts');
  assert.equal(ts.engine.name, 'ts');
  assert.equal(describeEcmpSelection(ts), 'ECMP: TypeScript (TypeScript implementation requested)');
  const auto = selectEcmp('auto');
  assert.equal(auto.engine.name, 'native');
  assert.equal(describeEcmpSelection(auto), 'ECMP: native (Rust addon)');
});
