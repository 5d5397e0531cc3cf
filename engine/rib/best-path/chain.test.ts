import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testPath } from '../test-paths.ts';
import { CHAIN, compareByChain, firstDifference } from './chain.ts';
import { rank } from './rank.ts';
import type { RankOptions, TieBreakerName } from './types.ts';

test('the chain runs in the order of RFC 4271 section 9.1.2.2 and its extensions', () => {
  assert.deepEqual(
    CHAIN.map((tieBreaker) => tieBreaker.name),
    [
      'validity',
      'llgr-stale',
      'local-pref',
      'local-origin',
      'as-path-length',
      'origin',
      'med',
      'ebgp-over-ibgp',
      'igp-cost',
      'oldest-external',
      'router-id',
      'cluster-list-length',
      'peer-address',
      'path-id',
    ],
  );
});

// Each case: the winner is better at `decidedBy` and worse at the tie-breaker after it.
const precedence: {
  decidedBy: TieBreakerName;
  winner: ReturnType<typeof testPath>;
  loser: ReturnType<typeof testPath>;
  options?: RankOptions;
}[] = [
  {
    decidedBy: 'validity',
    winner: testPath({ peer: '10.0.0.2', stale: 'llgr' }),
    loser: testPath({ peer: '10.0.0.1', igpCost: 'unreachable' }),
  },
  {
    decidedBy: 'llgr-stale',
    winner: testPath({ kind: 'ibgp', peer: '10.0.0.2', localPref: 100 }),
    loser: testPath({ kind: 'ibgp', peer: '10.0.0.1', localPref: 200, stale: 'llgr' }),
  },
  {
    decidedBy: 'local-pref',
    winner: testPath({ kind: 'ibgp', peer: '10.0.0.2', localPref: 200 }),
    loser: testPath({ kind: 'local', peer: '10.0.0.1' }),
  },
  {
    decidedBy: 'local-origin',
    winner: testPath({ kind: 'local', peer: '10.0.0.2', asns: [65000, 65000] }),
    loser: testPath({ kind: 'ibgp', peer: '10.0.0.1', asns: [65001] }),
  },
  {
    decidedBy: 'as-path-length',
    winner: testPath({ peer: '10.0.0.2', asns: [65001], origin: 'incomplete' }),
    loser: testPath({ peer: '10.0.0.1', asns: [65001, 65002], origin: 'igp' }),
  },
  {
    decidedBy: 'origin',
    winner: testPath({ peer: '10.0.0.2', origin: 'igp', med: 100 }),
    loser: testPath({ peer: '10.0.0.1', origin: 'egp', med: 0 }),
  },
  {
    decidedBy: 'med',
    winner: testPath({ kind: 'ibgp', peer: '10.0.0.2', asns: [65001], med: 0 }),
    loser: testPath({ kind: 'ebgp', peer: '10.0.0.1', peerAs: 65001, med: 10 }),
  },
  {
    decidedBy: 'ebgp-over-ibgp',
    winner: testPath({ kind: 'ebgp', peer: '10.0.0.2', igpCost: 100 }),
    loser: testPath({ kind: 'ibgp', peer: '10.0.0.1', asns: [65001], igpCost: 0 }),
  },
  {
    decidedBy: 'igp-cost',
    winner: testPath({ peer: '10.0.0.2', igpCost: 0, receivedAt: 2 }),
    loser: testPath({ peer: '10.0.0.1', igpCost: 5, receivedAt: 1 }),
    options: { preferOldestExternal: true },
  },
  {
    decidedBy: 'oldest-external',
    winner: testPath({ peer: '10.0.0.2', bgpId: '2.2.2.2', receivedAt: 1 }),
    loser: testPath({ peer: '10.0.0.1', bgpId: '1.1.1.1', receivedAt: 2 }),
    options: { preferOldestExternal: true },
  },
  {
    decidedBy: 'router-id',
    winner: testPath({ kind: 'ibgp', peer: '10.0.0.2', originatorId: '1.1.1.1', clusterList: ['9.9.9.1', '9.9.9.2'] }),
    loser: testPath({ kind: 'ibgp', peer: '10.0.0.1', bgpId: '2.2.2.2' }),
  },
  {
    decidedBy: 'cluster-list-length',
    winner: testPath({ kind: 'ibgp', peer: '10.0.0.2', originatorId: '1.1.1.1', clusterList: ['9.9.9.1'] }),
    loser: testPath({ kind: 'ibgp', peer: '10.0.0.1', originatorId: '1.1.1.1', clusterList: ['9.9.9.1', '9.9.9.2'] }),
  },
  {
    decidedBy: 'peer-address',
    winner: testPath({ peer: '10.0.0.1', bgpId: '1.1.1.1', pathId: 2 }),
    loser: testPath({ peer: '10.0.0.2', bgpId: '1.1.1.1', pathId: 1 }),
  },
];

for (const { decidedBy, winner, loser, options = {} } of precedence) {
  test(`${decidedBy} decides before the tie-breakers after it`, () => {
    assert.equal(CHAIN[firstDifference(winner, loser, options)].name, decidedBy);
    assert.ok(compareByChain(winner, loser, options) < 0);
    assert.ok(compareByChain(loser, winner, options) > 0);
    const ranking = rank([loser, winner], options);
    assert.equal(ranking.best, winner);
    assert.deepEqual(ranking.losers, [{ path: loser, reason: decidedBy, against: winner }]);
  });
}

test('the chain covers every tie-breaker but the last in the precedence table', () => {
  assert.deepEqual(
    precedence.map((entry) => entry.decidedBy),
    CHAIN.slice(0, -1).map((tieBreaker) => tieBreaker.name),
  );
});

test('identical ranking values: no tie-breaker tells the paths apart', () => {
  assert.equal(firstDifference(testPath(), testPath(), {}), -1);
  assert.equal(compareByChain(testPath(), testPath(), {}), 0);
});
