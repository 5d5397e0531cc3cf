/**
 * Resilient buckets: balance after any change, a leaving next hop moves exactly its own buckets and
 * flows, a joining one takes buckets only from next hops above their share.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { randomFlows } from '../random-flows.ts';
import { selectBatch } from '../select.ts';
import { buildTable } from '../ts-ecmp.ts';
import type { NextHopGroup, SelectionTable } from '../types.ts';

const addresses = (count: number): NextHopGroup => ({
  nextHops: Array.from({ length: count }, (_, i) => ({ name: `192.0.${2 + (i >> 8)}.${i & 255}`, weight: 1 })),
});
const without = (group: NextHopGroup, index: number): NextHopGroup => ({ nextHops: group.nextHops.filter((_, i) => i !== index) });

function build(group: NextHopGroup, buckets: number, previous?: { group: NextHopGroup; table: SelectionTable }): SelectionTable {
  const built = buildTable(group, { policy: 'resilient', size: buckets }, previous && { group: previous.group, table: previous.table.entries });
  assert.ok(built.ok, built.ok ? '' : built.error);
  return built.value;
}

/** The name of each bucket's owner. */
const owners = (group: NextHopGroup, table: SelectionTable) => [...table.entries].map((index) => group.nextHops[index].name);

/** Every next hop owns floor(share) or ceil(share) buckets. */
function assertBalanced(group: NextHopGroup, table: SelectionTable): void {
  const total = group.nextHops.reduce((sum, { weight }) => sum + weight, 0);
  const counts: number[] = new Array(group.nextHops.length).fill(0);
  for (const entry of table.entries) counts[entry]++;
  for (const [i, { weight }] of group.nextHops.entries()) {
    const share = (table.entries.length * weight) / total;
    assert.ok(counts[i] >= Math.floor(share + 1e-9) && counts[i] <= Math.ceil(share - 1e-9), `next hop ${i}: ${counts[i]} buckets for a share of ${share}`);
  }
}

const groupArbitrary = fc
  .array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 24 })
  .map((weights): NextHopGroup => ({ nextHops: weights.map((weight, i) => ({ name: `nh${i}`, weight })) }));

test('one of 1,000 next hops leaves: exactly its buckets move, and no flow of another next hop', () => {
  const group = addresses(1000);
  const before = build(group, 65_536);
  const after = build(without(group, 500), 65_536, { group, table: before });
  const [old, now] = [owners(group, before), owners(without(group, 500), after)];
  const leaver = group.nextHops[500].name;
  let own = 0;
  for (let bucket = 0; bucket < old.length; bucket++) {
    if (old[bucket] === leaver) own++;
    else assert.equal(now[bucket], old[bucket], `bucket ${bucket}`);
  }
  assert.ok(own === 65 || own === 66, `${own} buckets`);
  assertBalanced(without(group, 500), after);

  const flows = randomFlows('ipv4', 100_000, 11);
  const hash = { fields: 'five-tuple' as const, seed: 0 };
  const [was, is] = [selectBatch(before, flows, hash), selectBatch(after, flows, hash)];
  let moved = 0;
  for (let i = 0; i < flows.count; i++) {
    if (group.nextHops[was[i]].name === leaver) moved++;
    else assert.equal(group.nextHops[was[i]].name, without(group, 500).nextHops[is[i]].name, `flow ${i}`);
  }
  assert.ok(Math.abs(moved / flows.count - 0.001) < 0.0005, `${moved} flows moved`);
});

test('tables stay balanced across any sequence of weighted groups', () => {
  fc.assert(
    fc.property(fc.array(groupArbitrary, { minLength: 1, maxLength: 6 }), fc.integer({ min: 24, max: 300 }), (groups, buckets) => {
      let previous: { group: NextHopGroup; table: SelectionTable } | undefined;
      for (const group of groups) {
        const table = build(group, buckets, previous);
        assertBalanced(group, table);
        previous = { group, table };
      }
    }),
  );
});

test('a leaving next hop moves only its buckets, weighted or not', () => {
  fc.assert(
    fc.property(groupArbitrary, fc.nat(), fc.integer({ min: 24, max: 300 }), (group, pick, buckets) => {
      const leaving = pick % group.nextHops.length;
      const before = build(group, buckets);
      const after = build(without(group, leaving), buckets, { group, table: before });
      const [old, now] = [owners(group, before), owners(without(group, leaving), after)];
      for (let bucket = 0; bucket < buckets; bucket++) {
        if (old[bucket] !== group.nextHops[leaving].name) assert.equal(now[bucket], old[bucket], `bucket ${bucket}`);
      }
    }),
  );
});

test('a joining next hop takes buckets only from next hops above their new share', () => {
  fc.assert(
    fc.property(groupArbitrary, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 25, max: 300 }), (group, weight, buckets) => {
      const joined: NextHopGroup = { nextHops: [...group.nextHops, { name: 'joiner', weight }] };
      const before = build(group, buckets);
      const after = build(joined, buckets, { group, table: before });
      const [old, now] = [owners(group, before), owners(joined, after)];
      const total = joined.nextHops.reduce((sum, hop) => sum + hop.weight, 0);
      const had = new Map<string, number>();
      for (const name of old) had.set(name, (had.get(name) ?? 0) + 1);
      for (let bucket = 0; bucket < buckets; bucket++) {
        if (now[bucket] === old[bucket]) continue;
        assert.equal(now[bucket], 'joiner', `bucket ${bucket} went to ${now[bucket]}`);
        const giver = group.nextHops.find(({ name }) => name === old[bucket])!;
        assert.ok(had.get(giver.name)! > (buckets * giver.weight) / total, `${giver.name} gave a bucket below its share`);
      }
      assertBalanced(joined, after);
    }),
  );
});

test('unusable sizes and previous tables are refused', () => {
  const group = addresses(8);
  assert.match(JSON.stringify(buildTable(group, { policy: 'resilient', size: 4 })), /buckets must be an integer from the next-hop count \(8\)/);
  assert.match(JSON.stringify(buildTable(group, { policy: 'resilient', size: 2 ** 20 + 1 })), /not 1048577/);
  const previous = { group, table: new Uint32Array(32) };
  assert.match(JSON.stringify(buildTable(group, { policy: 'resilient', size: 64 }, previous)), /previous table has 32 buckets, not 64/);
  const beyond = { group: addresses(2), table: new Uint32Array(64).fill(5) };
  assert.match(JSON.stringify(buildTable(group, { policy: 'resilient', size: 64 }, beyond)), /previous bucket 0 names next hop 5/);
});
