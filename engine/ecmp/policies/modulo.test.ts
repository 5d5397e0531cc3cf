/** Modulo-N: the expanded table, its limit, and flows spread in proportion to the weights. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { randomFlows } from '../random-flows.ts';
import { selectBatch } from '../select.ts';
import { buildTable } from '../ts-ecmp.ts';
import type { NextHopGroup } from '../types.ts';

const hops = (...weights: number[]): NextHopGroup => ({ nextHops: weights.map((weight, i) => ({ name: `nh${i}`, weight })) });

test('next hop i fills weight_i consecutive slots, weights reduced by their gcd', () => {
  const table: [NextHopGroup, number[]][] = [
    [hops(1, 1, 1), [0, 1, 2]],
    [hops(2, 4, 6), [0, 1, 1, 2, 2, 2]],
    [hops(3, 1), [0, 0, 0, 1]],
  ];
  for (const [group, entries] of table) {
    const built = buildTable(group, { policy: 'modulo' });
    assert.ok(built.ok);
    assert.deepEqual([...built.value.entries], entries);
  }
});

test('a table above 2^20 slots is refused', () => {
  assert.deepEqual(buildTable(hops(1, 2 ** 20), { policy: 'modulo' }), {
    ok: false,
    error: 'modulo: weights sum to 1048577 slots after gcd reduction, above 1048576',
  });
});

test('100k flows follow the weights within 1% of all flows', () => {
  const weights = [1, 2, 3, 4];
  const built = buildTable(hops(...weights), { policy: 'modulo' });
  assert.ok(built.ok);
  for (const family of ['ipv4', 'ipv6'] as const) {
    const indices = selectBatch(built.value, randomFlows(family, 100_000, 7), { fields: 'five-tuple', seed: 0 });
    const counts = weights.map((_, i) => indices.filter((index) => index === i).length);
    for (const [i, weight] of weights.entries()) assert.ok(Math.abs(counts[i] / 100_000 - weight / 10) < 0.01, `${family} nh${i}: ${counts[i]}`);
  }
});
