import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testPath } from '../test-paths.ts';
import { eliminate } from './elimination-reference.ts';
import { rank } from './rank.ts';
import type { RankOptions } from './types.ts';

// Three nodes announcing the same VIP over iBGP, equal up to router id.
const node1 = testPath({ kind: 'ibgp', peer: '10.0.0.1', bgpId: '10.0.0.1' });
const node2 = testPath({ kind: 'ibgp', peer: '10.0.0.2', bgpId: '10.0.0.2' });
const node3 = testPath({ kind: 'ibgp', peer: '10.0.0.3', bgpId: '10.0.0.3' });

const ecmp: RankOptions = { multipath: { upTo: 'igp-cost', maximumPaths: 8 } };

test('without multipath options the set is the best path alone', () => {
  assert.deepEqual(rank([node3, node2, node1], {}).multipath, [node1]);
});

test('paths equal to the best up to IGP cost share traffic, best first, then in order of preference', () => {
  const ranking = rank([node3, node2, node1], ecmp);
  assert.deepEqual(ranking.multipath, [node1, node2, node3]);
  assert.deepEqual(
    ranking.losers.map((loser) => loser.reason),
    ['router-id', 'router-id'],
  );
});

test('maximumPaths caps the set', () => {
  assert.deepEqual(rank([node3, node2, node1], { multipath: { upTo: 'igp-cost', maximumPaths: 2 } }).multipath, [
    node1,
    node2,
  ]);
  assert.deepEqual(rank([node3, node2, node1], { multipath: { upTo: 'igp-cost', maximumPaths: 1 } }).multipath, [
    node1,
  ]);
});

test('a path that differs at or before upTo stays out', () => {
  const farther = testPath({ kind: 'ibgp', peer: '10.0.0.4', bgpId: '10.0.0.4', igpCost: 5 });
  assert.deepEqual(rank([farther, node2, node1], ecmp).multipath, [node1, node2]);
  assert.deepEqual(
    rank([farther, node2, node1], { multipath: { upTo: 'ebgp-over-ibgp', maximumPaths: 8 } }).multipath,
    [node1, node2, farther],
  );
});

test('an LLGR-stale or invalid path never joins a fresh best', () => {
  const stale = testPath({ kind: 'ibgp', peer: '10.0.0.4', stale: 'llgr' });
  const invalid = testPath({ kind: 'ibgp', peer: '10.0.0.5', igpCost: 'unreachable' });
  assert.deepEqual(rank([stale, invalid, node1], { multipath: { upTo: 'validity', maximumPaths: 8 } }).multipath, [
    node1,
    stale,
  ]);
  assert.deepEqual(rank([stale, invalid, node1], { multipath: { upTo: 'llgr-stale', maximumPaths: 8 } }).multipath, [
    node1,
  ]);
});

// eBGP paths of equal length through different neighbour ASes.
const viaAs1 = testPath({ peer: '192.0.2.1', peerAs: 65001, asns: [65001, 65100] });
const viaAs2 = testPath({ peer: '192.0.2.2', peerAs: 65002, asns: [65002, 65100] });
const viaAs1Again = testPath({ peer: '192.0.2.3', peerAs: 65001, asns: [65001, 65100] });

test('without relaxAsPath the AS paths must be identical', () => {
  assert.deepEqual(rank([viaAs2, viaAs1Again, viaAs1], ecmp).multipath, [viaAs1, viaAs1Again]);
});

test('relaxAsPath accepts equal length through different ASes', () => {
  const relaxed: RankOptions = { multipath: { upTo: 'igp-cost', relaxAsPath: true, maximumPaths: 8 } };
  assert.deepEqual(rank([viaAs2, viaAs1Again, viaAs1], relaxed).multipath, [viaAs1, viaAs2, viaAs1Again]);
});

test('a path removed by a lower MED of its own neighbour AS stays out, though it ties with the best', () => {
  const relaxed: RankOptions = { multipath: { upTo: 'igp-cost', relaxAsPath: true, maximumPaths: 8 } };
  const best = testPath({ peer: '192.0.2.1', bgpId: '1.1.1.1', peerAs: 65001, asns: [65001, 65100] });
  const lowMed = testPath({ peer: '192.0.2.2', bgpId: '2.2.2.2', peerAs: 65002, asns: [65002, 65100], med: 0 });
  const highMed = testPath({ peer: '192.0.2.3', bgpId: '3.3.3.3', peerAs: 65002, asns: [65002, 65100], med: 50 });
  const ranking = rank([highMed, lowMed, best], relaxed);
  assert.deepEqual(ranking.multipath, [best, lowMed]);
  assert.deepEqual(
    ranking.losers.map((loser) => [loser.path, loser.reason, loser.against]),
    [
      [lowMed, 'router-id', best],
      [highMed, 'med', lowMed],
    ],
  );
});

test('with relaxAsPath and no cap, multipath is what survives elimination up to upTo', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          kind: fc.constantFrom<'ebgp' | 'ibgp'>('ebgp', 'ibgp'),
          neighbor: fc.constantFrom(65001, 65002),
          med: fc.constantFrom(0, 10),
          igpCost: fc.constantFrom(0, 10),
          bgpId: fc.constantFrom('1.1.1.1', '2.2.2.2'),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      fc.constantFrom<'med' | 'ebgp-over-ibgp' | 'igp-cost' | 'router-id'>(
        'med',
        'ebgp-over-ibgp',
        'igp-cost',
        'router-id',
      ),
      (specs, upTo) => {
        const paths = specs.map(({ kind, neighbor, ...spec }, pathId) =>
          testPath({ ...spec, kind, pathId, asns: [neighbor], peerAs: kind === 'ebgp' ? neighbor : undefined }),
        );
        const ranking = rank(paths, { multipath: { upTo, relaxAsPath: true, maximumPaths: 100 } });
        const survivors = eliminate(paths, {}).survivors.get(upTo) ?? [];
        assert.deepEqual(new Set(ranking.multipath), new Set(survivors));
      },
    ),
    { numRuns: 300 },
  );
});
