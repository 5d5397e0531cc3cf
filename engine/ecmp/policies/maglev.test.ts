/**
 * Maglev: the paper's example, near-equal entries, weights honoured, and the disruption when one
 * of 1,000 next hops leaves, measured on 100k flows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { randomFlows } from '../random-flows.ts';
import { selectBatch } from '../select.ts';
import { buildTable } from '../ts-ecmp.ts';
import type { NextHopGroup } from '../types.ts';
import { fillMaglev, isPrime } from './maglev.ts';

const addresses = (count: number): NextHopGroup => ({
  nextHops: Array.from({ length: count }, (_, i) => ({ name: `192.0.${2 + (i >> 8)}.${i & 255}`, weight: 1 })),
});

function counts(entries: Uint32Array, nextHops: number): number[] {
  const result: number[] = new Array(nextHops).fill(0);
  for (const entry of entries) result[entry]++;
  return result;
}

test('the example of Eisenbud et al. 2016, Table 1', () => {
  // Offsets 3, 0, 3 and skips 4, 2, 1 in a table of 7. Without B1, its entries 0 and 2 go to B0,
  // and entry 6 moves from B0 to B2: the disruption beyond a removed backend's own entries.
  assert.deepEqual([...fillMaglev([3, 0, 3], [4, 2, 1], [1, 1, 1], 7)], [1, 0, 1, 0, 2, 2, 0]);
  assert.deepEqual([...fillMaglev([3, 3], [4, 1], [1, 1], 7)], [0, 0, 0, 0, 1, 1, 1]);
});

test('primes', () => {
  const table: [number, boolean][] = [[0, false], [1, false], [2, true], [7, true], [65_536, false], [65_537, true], [1_048_573, true], [1_048_575, false]];
  for (const [n, prime] of table) assert.equal(isPrime(n), prime, String(n));
});

test('equal weights: entries per next hop differ by at most one', () => {
  const built = buildTable(addresses(1000), { policy: 'maglev' });
  assert.ok(built.ok);
  const perHop = counts(built.value.entries, 1000);
  assert.ok(Math.max(...perHop) - Math.min(...perHop) <= 1, `${Math.min(...perHop)} to ${Math.max(...perHop)}`);
});

test('weights: entries within 1% of each weighted share', () => {
  const weights = [1, 2, 3, 4, 10];
  const group = { nextHops: weights.map((weight, i) => ({ name: `nh${i}`, weight })) };
  const built = buildTable(group, { policy: 'maglev', size: 65_537 });
  assert.ok(built.ok);
  const perHop = counts(built.value.entries, weights.length);
  for (const [i, weight] of weights.entries()) {
    const share = (65_537 * weight) / 20;
    assert.ok(Math.abs(perHop[i] - share) <= share * 0.01, `nh${i}: ${perHop[i]} entries for ${share}`);
  }
});

test('one of 1,000 next hops leaves: at most 1% of 100k flows move beyond its own', () => {
  const group = addresses(1000);
  const rest: NextHopGroup = { nextHops: group.nextHops.filter((_, i) => i !== 500) };
  const [before, after] = [buildTable(group, { policy: 'maglev' }), buildTable(rest, { policy: 'maglev' })];
  assert.ok(before.ok && after.ok);
  const flows = randomFlows('ipv6', 100_000, 5);
  const hash = { fields: 'five-tuple' as const, seed: 0 };
  const [was, is] = [selectBatch(before.value, flows, hash), selectBatch(after.value, flows, hash)];
  let own = 0;
  let beyond = 0;
  for (let i = 0; i < flows.count; i++) {
    if (was[i] === 500) own++;
    else if (group.nextHops[was[i]].name !== rest.nextHops[is[i]].name) beyond++;
  }
  assert.ok(own > 0 && own < 200, `${own} flows on the leaver`);
  assert.ok(beyond / flows.count <= 0.01, `${beyond} flows of other next hops moved`);
});

test('unusable sizes are refused', () => {
  const table: [number, RegExp][] = [[65_536, /not 65536/], [7, /next-hop count \(8\)/], [1_048_583, /not 1048583/]];
  for (const [size, error] of table) {
    const built = buildTable(addresses(8), { policy: 'maglev', size });
    assert.equal(built.ok, false, String(size));
    assert.match(built.ok ? '' : built.error, error);
  }
});
