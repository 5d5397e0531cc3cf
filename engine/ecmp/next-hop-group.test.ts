/** Group checks and weight reduction, as a table of groups and what becomes of them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkGroup } from './next-hop-group.ts';
import type { NextHopGroup } from './types.ts';

const hops = (...weights: number[]): NextHopGroup => ({ nextHops: weights.map((weight, i) => ({ name: `nh${i}`, weight })) });

test('weights are divided by their gcd', () => {
  const table: [string, NextHopGroup, number[], number][] = [
    ['equal', hops(1, 1, 1), [1, 1, 1], 3],
    ['bandwidth in Mbit/s', hops(10_000, 25_000, 100_000), [2, 5, 20], 27],
    ['coprime', hops(2, 3), [2, 3], 5],
    ['one next hop', hops(4_000_000_000), [1], 1],
  ];
  for (const [label, group, weights, total] of table) {
    const checked = checkGroup(group);
    assert.ok(checked.ok, label);
    assert.deepEqual(checked.value.weights, weights, label);
    assert.equal(checked.value.total, total, label);
    assert.deepEqual(checked.value.names, group.nextHops.map(({ name }) => name), label);
  }
});

test('unusable groups are refused with the reason', () => {
  const table: [NextHopGroup, RegExp][] = [
    [{ nextHops: [] }, /at least one next hop/],
    [{ nextHops: [{ name: 'a', weight: 1 }, { name: 'a', weight: 1 }] }, /a appears twice/],
    [{ nextHops: [{ name: '', weight: 1 }] }, /needs a name/],
    [hops(0), /weight must be an integer from 1/],
    [hops(1.5), /not 1.5/],
    [hops(2 ** 32), /not 4294967296/],
    [hops(0xffffffff, 1), /still sum to 4294967296/],
  ];
  for (const [group, error] of table) {
    const checked = checkGroup(group);
    assert.equal(checked.ok, false, JSON.stringify(group));
    assert.match(checked.ok ? '' : checked.error, error);
  }
});
