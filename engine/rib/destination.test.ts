import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RankOptions } from './best-path/types.ts';
import {
  createDestination,
  invalidate,
  recompute,
  removePath,
  setPath,
  type DestinationChange,
} from './destination.ts';
import { refreshNextHop } from './path.ts';
import { testPath } from './test-paths.ts';

const ecmp: RankOptions = { multipath: { upTo: 'igp-cost', maximumPaths: 4 } };

const node1 = testPath({ kind: 'ibgp', peer: '10.0.0.1' });
const node2 = testPath({ kind: 'ibgp', peer: '10.0.0.2' });
const node3 = testPath({ kind: 'ibgp', peer: '10.0.0.3' });

function change(fields: Partial<DestinationChange>): DestinationChange {
  return {
    family: 'ipv4-unicast',
    prefix: '198.51.100.1/32',
    bestChanged: false,
    multipathChanged: false,
    multipathAdded: [],
    multipathRemoved: [],
    multipathUpdated: [],
    ...fields,
  };
}

function destination() {
  return createDestination('ipv4-unicast', '198.51.100.1/32');
}

test('the first path becomes best and joins the multipath set', () => {
  const dest = destination();
  assert.equal(setPath(dest, node2), true);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ best: node2, bestChanged: true, multipathChanged: true, multipathAdded: [node2] }),
  );
});

test('nothing changed: no ranking and no change', () => {
  const dest = destination();
  setPath(dest, node2);
  recompute(dest, ecmp);
  const ranking = dest.ranking;
  assert.equal(recompute(dest, ecmp), undefined);
  assert.equal(dest.ranking, ranking);
});

test('setting an identical path again changes nothing', () => {
  const dest = destination();
  setPath(dest, node2);
  recompute(dest, ecmp);
  assert.equal(setPath(dest, testPath({ kind: 'ibgp', peer: '10.0.0.2' })), false);
  assert.equal(dest.dirty, false);
  assert.equal(dest.paths.find((path) => path.source.peerAddress === '10.0.0.2' && path.pathId === 0), node2);
});

test('a worse path that does not join the multipath set changes nothing outbound, but is ranked', () => {
  const dest = destination();
  setPath(dest, node1);
  recompute(dest, {});
  setPath(dest, node2);
  assert.equal(recompute(dest, {}), undefined);
  assert.deepEqual(dest.ranking.losers, [{ path: node2, reason: 'router-id', against: node1 }]);
});

test('a better path takes over as best', () => {
  const dest = destination();
  setPath(dest, node2);
  recompute(dest, {});
  setPath(dest, node1);
  assert.deepEqual(
    recompute(dest, {}),
    change({
      previousBest: node2,
      best: node1,
      bestChanged: true,
      multipathChanged: true,
      multipathAdded: [node1],
      multipathRemoved: [node2],
    }),
  );
});

test('paths joining and leaving the multipath set', () => {
  const dest = destination();
  setPath(dest, node1);
  recompute(dest, ecmp);
  setPath(dest, node3);
  setPath(dest, node2);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: node1, best: node1, multipathChanged: true, multipathAdded: [node2, node3] }),
  );
  assert.deepEqual(dest.ranking.multipath, [node1, node2, node3]);
  removePath(dest, '10.0.0.2', 0);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: node1, best: node1, multipathChanged: true, multipathRemoved: [node2] }),
  );
});

test('replacing the best path with new attributes changes the best and updates it in the multipath set', () => {
  const dest = destination();
  setPath(dest, node1);
  setPath(dest, node2);
  recompute(dest, ecmp);
  const node1Again = testPath({ kind: 'ibgp', peer: '10.0.0.1', communities: ['65000:1'] });
  assert.equal(setPath(dest, node1Again), true);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({
      previousBest: node1,
      best: node1Again,
      bestChanged: true,
      multipathChanged: true,
      multipathUpdated: [node1Again],
    }),
  );
});

test('a replacement that loses the best path hands it over', () => {
  const dest = destination();
  setPath(dest, node1);
  setPath(dest, node2);
  recompute(dest, ecmp);
  const node1Farther = testPath({ kind: 'ibgp', peer: '10.0.0.1', igpCost: 50 });
  setPath(dest, node1Farther);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: node1, best: node2, bestChanged: true, multipathChanged: true, multipathRemoved: [node1] }),
  );
  assert.deepEqual(dest.ranking.losers, [{ path: node1Farther, reason: 'igp-cost', against: node2 }]);
});

test('removing the last path leaves no best', () => {
  const dest = destination();
  setPath(dest, node1);
  recompute(dest, ecmp);
  assert.equal(removePath(dest, '10.0.0.1', 0), true);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: node1, bestChanged: true, multipathChanged: true, multipathRemoved: [node1] }),
  );
  assert.equal(dest.paths.length, 0);
});

test('removing a path that is not there changes nothing', () => {
  const dest = destination();
  setPath(dest, node1);
  recompute(dest, ecmp);
  assert.equal(removePath(dest, '10.0.0.1', 7), false);
  assert.equal(removePath(dest, '10.0.0.9', 0), false);
  assert.equal(dest.dirty, false);
});

test('ADD-PATH: one peer’s paths are kept apart by path id', () => {
  const dest = destination();
  const first = testPath({ kind: 'ibgp', peer: '10.0.0.1', pathId: 1, nextHop: '10.1.0.1' });
  const second = testPath({ kind: 'ibgp', peer: '10.0.0.1', pathId: 2, nextHop: '10.1.0.2' });
  setPath(dest, second);
  setPath(dest, first);
  recompute(dest, ecmp);
  assert.deepEqual(dest.ranking.multipath, [first, second]);
  removePath(dest, '10.0.0.1', 1);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: first, best: second, bestChanged: true, multipathChanged: true, multipathRemoved: [first] }),
  );
});

test('invalidate ranks again under new options', () => {
  const dest = destination();
  setPath(dest, node1);
  setPath(dest, node2);
  recompute(dest, {});
  invalidate(dest);
  assert.deepEqual(
    recompute(dest, ecmp),
    change({ previousBest: node1, best: node1, multipathChanged: true, multipathAdded: [node2] }),
  );
});

test('a new IGP cost that keeps the best announces nothing new', () => {
  const dest = destination();
  const near = testPath({ kind: 'ibgp', peer: '10.0.0.1', igpCost: 5 });
  setPath(dest, near);
  setPath(dest, testPath({ kind: 'ibgp', peer: '10.0.0.2', igpCost: 10 }));
  recompute(dest, ecmp);
  assert.equal(refreshNextHop(near, { igpCost: () => 5 }), near);
  const nearer = refreshNextHop(near, { igpCost: () => 2 });
  assert.equal(setPath(dest, nearer), true);
  assert.equal(recompute(dest, ecmp), undefined);
  assert.equal(dest.ranking.best, nearer);
});

test('a best path that turns LLGR-stale and stays best is announced again', () => {
  const dest = destination();
  setPath(dest, node1);
  recompute(dest, {});
  const stale = testPath({ kind: 'ibgp', peer: '10.0.0.1', stale: 'llgr' });
  setPath(dest, stale);
  assert.deepEqual(
    recompute(dest, {}),
    change({ previousBest: node1, best: stale, bestChanged: true, multipathChanged: true, multipathUpdated: [stale] }),
  );
});
