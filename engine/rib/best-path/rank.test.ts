import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Path } from '../path.ts';
import { testPath, type TestPathSpec } from '../test-paths.ts';
import { compareByChain } from './chain.ts';
import { eliminate, eliminationOrder } from './elimination-reference.ts';
import { rank } from './rank.ts';
import type { RankOptions, Ranking } from './types.ts';

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

function summary(ranking: Ranking): unknown {
  return {
    best: ranking.best,
    losers: ranking.losers.map((loser) => [loser.path, loser.reason, loser.against]),
  };
}

/** "Better than the best so far", one path at a time: what a naive implementation does. */
function naiveFold(paths: Path[]): Path {
  return paths.reduce((best, path) => (compareByChain(path, best, {}) < 0 ? path : best));
}

test('no candidates, no best', () => {
  assert.deepEqual(rank([], {}), { multipath: [], losers: [] });
});

test('a single candidate is best, with no losers', () => {
  const only = testPath();
  assert.deepEqual(rank([only], {}), { best: only, multipath: [only], losers: [] });
});

// Three iBGP paths: two through AS 65001 with different MEDs, one through AS 65002 without MED.
// RFC 4271 section 9.1.2.2 c removes 65001's MED 10 path first; IGP cost then picks 65002's path.
// Compared pair by pair, 65001-med-10 beats 65002 (IGP), 65002 beats 65001-med-0 (IGP) and
// 65001-med-0 beats 65001-med-10 (MED): a cycle, so arrival order decides a naive selection.
const as1Med10 = testPath({ kind: 'ibgp', peer: '10.0.0.1', asns: [65001], med: 10, igpCost: 10 });
const as2 = testPath({ kind: 'ibgp', peer: '10.0.0.2', asns: [65002], igpCost: 20 });
const as1Med0 = testPath({ kind: 'ibgp', peer: '10.0.0.3', asns: [65001], med: 0, igpCost: 30 });
const cycle = [as1Med10, as2, as1Med0];

test('deterministic MED: the cycle really makes a naive selection depend on order', () => {
  assert.equal(naiveFold([as1Med10, as2, as1Med0]), as1Med0);
  assert.equal(naiveFold([as1Med0, as1Med10, as2]), as2);
});

test('deterministic MED: the same best and the same losers in every input order', () => {
  for (const order of permutations(cycle)) {
    const ranking = rank(order, {});
    assert.deepEqual(summary(ranking), {
      best: as2,
      losers: [
        [as1Med0, 'igp-cost', as2],
        [as1Med10, 'med', as1Med0],
      ],
    });
  }
});

test('deterministic MED: a path with its AS’s lowest MED survives MED and loses later', () => {
  const as1Med0Far = testPath({ kind: 'ibgp', peer: '10.0.0.4', asns: [65001], med: 0, igpCost: 40 });
  for (const order of permutations([...cycle, as1Med0Far])) {
    assert.deepEqual(summary(rank(order, {})), {
      best: as2,
      losers: [
        [as1Med0, 'igp-cost', as2],
        [as1Med0Far, 'igp-cost', as2],
        [as1Med10, 'med', as1Med0],
      ],
    });
  }
});

test('deterministic MED: alwaysCompareMed makes MED one group', () => {
  const options = { alwaysCompareMed: true };
  const as2Med5 = testPath({ kind: 'ibgp', peer: '10.0.0.2', asns: [65002], med: 5, igpCost: 20 });
  for (const order of permutations([as1Med10, as2Med5, as1Med0])) {
    assert.deepEqual(summary(rank(order, options)), {
      best: as1Med0,
      losers: [
        [as2Med5, 'med', as1Med0],
        [as1Med10, 'med', as1Med0],
      ],
    });
  }
});

test('deterministic MED: missingMedWorst turns the missing MED into the loser', () => {
  const noMed = testPath({ kind: 'ibgp', peer: '10.0.0.5', asns: [65001], igpCost: 0 });
  assert.deepEqual(summary(rank([noMed, as1Med10], {})), { best: noMed, losers: [[as1Med10, 'med', noMed]] });
  assert.deepEqual(summary(rank([noMed, as1Med10], { missingMedWorst: true })), {
    best: as1Med10,
    losers: [[noMed, 'med', as1Med10]],
  });
});

test('route reflection: ORIGINATOR_ID, then CLUSTER_LIST length, decide between reflected copies', () => {
  // The same client route (originator 10.1.0.5) through two reflectors, one of them one cluster
  // farther, and another client's route (originator 10.1.0.9) through the nearest reflector.
  const nearCopy = testPath({
    kind: 'ibgp',
    peer: '10.0.0.2',
    bgpId: '10.0.0.2',
    originatorId: '10.1.0.5',
    clusterList: ['10.0.0.2'],
  });
  const farCopy = testPath({
    kind: 'ibgp',
    peer: '10.0.0.1',
    bgpId: '10.0.0.1',
    originatorId: '10.1.0.5',
    clusterList: ['10.0.0.1', '10.0.0.3'],
  });
  const otherClient = testPath({
    kind: 'ibgp',
    peer: '10.0.0.1',
    bgpId: '10.0.0.1',
    pathId: 1,
    originatorId: '10.1.0.9',
    clusterList: ['10.0.0.1'],
  });
  for (const order of permutations([farCopy, otherClient, nearCopy])) {
    assert.deepEqual(summary(rank(order, {})), {
      best: nearCopy,
      losers: [
        [farCopy, 'cluster-list-length', nearCopy],
        [otherClient, 'router-id', nearCopy],
      ],
    });
  }
});

test('LLGR: a stale path loses to any fresh one, whatever its LOCAL_PREF; stale paths rank among themselves', () => {
  const stalePreferred = testPath({ kind: 'ibgp', peer: '10.0.0.1', localPref: 500, communities: ['65535:6'] });
  const staleOther = testPath({ kind: 'ibgp', peer: '10.0.0.2', localPref: 400, stale: 'llgr' });
  const fresh = testPath({ kind: 'ibgp', peer: '10.0.0.3', localPref: 50 });
  assert.deepEqual(summary(rank([stalePreferred, staleOther, fresh], {})), {
    best: fresh,
    losers: [
      [stalePreferred, 'llgr-stale', fresh],
      [staleOther, 'llgr-stale', fresh],
    ],
  });
  assert.deepEqual(summary(rank([staleOther, stalePreferred], {})), {
    best: stalePreferred,
    losers: [[staleOther, 'local-pref', stalePreferred]],
  });
});

test('GR-stale paths rank as usual (RFC 4724 section 4.2)', () => {
  const stale = testPath({ kind: 'ibgp', peer: '10.0.0.1', stale: 'gr' });
  const fresh = testPath({ kind: 'ibgp', peer: '10.0.0.2' });
  assert.equal(rank([fresh, stale], {}).best, stale);
});

test('an invalid path never wins, and loses at validity', () => {
  const invalid = testPath({ kind: 'ibgp', peer: '10.0.0.1', localPref: 1000, igpCost: 'unreachable' });
  const valid = testPath({ kind: 'ibgp', peer: '10.0.0.2', localPref: 10 });
  assert.deepEqual(summary(rank([invalid, valid], {})), { best: valid, losers: [[invalid, 'validity', valid]] });
});

const specArbitrary: fc.Arbitrary<TestPathSpec> = fc
  .record({
    kind: fc.constantFrom('ebgp', 'ibgp', 'ibgp', 'local'),
    peer: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '2001:db8::1'),
    bgpId: fc.constantFrom('1.1.1.1', '2.2.2.2', '3.3.3.3'),
    asns: fc.array(fc.constantFrom(65001, 65002, 65003), { minLength: 1, maxLength: 3 }),
    emptyPath: fc.boolean(),
    origin: fc.constantFrom('igp', 'egp', 'incomplete'),
    med: fc.option(fc.constantFrom(0, 10, 20), { nil: undefined }),
    localPref: fc.option(fc.constantFrom(100, 200), { nil: undefined }),
    igpCost: fc.constantFrom<number | 'unreachable'>(0, 10, 10, 20, 'unreachable'),
    originatorId: fc.option(fc.constantFrom('1.1.1.1', '2.2.2.2', '3.3.3.3'), { nil: undefined }),
    clusterLength: fc.nat(2),
    stale: fc.option(fc.constantFrom<'gr' | 'llgr'>('gr', 'llgr'), { freq: 4, nil: undefined }),
    receivedAt: fc.nat(3),
  })
  .map(({ emptyPath, asns, clusterLength, kind, ...spec }) => ({
    ...spec,
    kind,
    asns: emptyPath && kind !== 'ebgp' ? [] : asns,
    peerAs: kind === 'ebgp' ? asns[0] : undefined,
    clusterList: ['9.9.9.1', '9.9.9.2'].slice(0, clusterLength),
  }));

// Unique (peer, path id) keys, as a destination has.
const pathsArbitrary = fc
  .array(specArbitrary, { minLength: 1, maxLength: 9 })
  .map((specs) => specs.map((spec, pathId) => testPath({ ...spec, pathId })));

const optionsArbitrary: fc.Arbitrary<RankOptions> = fc.record({
  alwaysCompareMed: fc.boolean(),
  missingMedWorst: fc.boolean(),
  ignoreAsPathLength: fc.boolean(),
  preferOldestExternal: fc.boolean(),
});

test('rank agrees with RFC 4271 section 9.1.2.2 elimination over the whole set', () => {
  fc.assert(
    fc.property(pathsArbitrary, optionsArbitrary, (paths, options) => {
      const ranking = rank(paths, options);
      const reference = eliminate(paths, options);
      const order = [...(ranking.best ? [ranking.best] : []), ...ranking.losers.map((loser) => loser.path)];
      assert.deepEqual(order, eliminationOrder(paths, options));
      if (!reference.winner.ranking.valid) {
        assert.equal(ranking.best, undefined);
        assert.ok(ranking.losers.every((loser) => loser.reason === 'validity' && loser.against === undefined));
        return;
      }
      assert.equal(ranking.best, reference.winner);
      for (const loser of ranking.losers) {
        assert.equal(loser.reason, reference.eliminatedAt.get(loser.path));
        if (loser.reason !== 'med') assert.equal(loser.against, reference.winner);
        else {
          const against = loser.against as Path;
          assert.ok(reference.survivors.get('med')?.includes(against), 'lost to a path that survived MED');
          assert.ok(compareByChain(against, loser.path, options) < 0, 'lost to a lower MED of its own neighbour AS');
        }
      }
    }),
    { numRuns: 500 },
  );
});

test('rank does not depend on input order', () => {
  fc.assert(
    fc.property(
      pathsArbitrary.chain((paths) =>
        fc.tuple(fc.constant(paths), fc.shuffledSubarray(paths, { minLength: paths.length, maxLength: paths.length })),
      ),
      optionsArbitrary,
      ([paths, shuffled], options) => {
        assert.deepEqual(summary(rank(shuffled, options)), summary(rank(paths, options)));
      },
    ),
    { numRuns: 300 },
  );
});
