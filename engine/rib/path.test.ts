import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LOCAL_PREF, makePath, refreshNextHop, samePath, type PathSource } from './path.ts';
import type { PathAttribute } from '../wire/types.ts';

const ibgp: PathSource = {
  peerAddress: '10.0.0.1',
  peerBgpId: '10.0.0.1',
  peerAs: 65000,
  localAs: 65000,
  kind: 'ibgp',
  rrClient: true,
};
const ebgp: PathSource = {
  ...ibgp,
  peerAddress: '192.0.2.1',
  peerBgpId: '192.0.2.1',
  peerAs: 65001,
  kind: 'ebgp',
  rrClient: false,
};

const attributes: PathAttribute[] = [
  { type: 'origin', value: 'egp' },
  {
    type: 'as-path',
    segments: [
      { type: 'sequence', asns: [65001, 65002] },
      { type: 'set', asns: [1, 2] },
    ],
  },
  { type: 'next-hop', value: '10.0.0.7' },
  { type: 'med', value: 30 },
  { type: 'local-pref', value: 250 },
  { type: 'communities', values: ['65001:1', '65535:6'] },
  { type: 'originator-id', value: '10.9.9.9' },
  { type: 'cluster-list', values: ['10.0.0.100', '10.0.0.101'] },
];

test('makePath reads every ranking value from the attributes', () => {
  const path = makePath(
    { source: ibgp, pathId: 3, nextHops: ['10.0.0.7'], attributes, receivedAt: 42 },
    { igpCost: (nextHop) => (nextHop === '10.0.0.7' ? 15 : undefined) },
  );
  assert.equal(path.pathId, 3);
  assert.equal(path.attributes, attributes);
  assert.deepEqual(path.nextHops, ['10.0.0.7']);
  assert.deepEqual(path.ranking, {
    valid: true,
    grStale: false,
    llgrStale: true,
    localPref: 250,
    asPathLength: 3,
    asPath: '65001 65002 {1,2}',
    origin: 1,
    med: 30,
    neighborAs: 65001,
    originatorId: '10.9.9.9',
    routerId: 0x0a090909,
    clusterListLength: 2,
    igpCost: 15,
    peerAddress: '00000000000000000000ffff0a000001',
    receivedAt: 42,
  });
});

test('makePath defaults: no MED, LOCAL_PREF 100, INCOMPLETE without ORIGIN, the peer as router id', () => {
  const path = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes: [] });
  assert.equal(path.pathId, 0);
  assert.equal('med' in path.ranking, false);
  assert.equal('originatorId' in path.ranking, false);
  assert.equal(path.ranking.localPref, DEFAULT_LOCAL_PREF);
  assert.equal(path.ranking.origin, 2);
  assert.equal(path.ranking.routerId, 0x0a000001);
  assert.equal(path.ranking.neighborAs, 65000);
  assert.equal(path.ranking.valid, true);
  assert.equal(path.ranking.igpCost, 0);
});

test('LOCAL_PREF from an external peer is ignored; import policy sets one', () => {
  assert.equal(makePath({ source: ebgp, nextHops: ['192.0.2.1'], attributes }).ranking.localPref, DEFAULT_LOCAL_PREF);
  assert.equal(makePath({ source: ebgp, nextHops: ['192.0.2.1'], attributes, localPref: 300 }).ranking.localPref, 300);
  assert.equal(makePath({ source: ibgp, nextHops: ['192.0.2.1'], attributes, localPref: 300 }).ranking.localPref, 300);
});

test('stale marks: GR-stale, LLGR-stale, and the LLGR_STALE community', () => {
  const plain: PathAttribute[] = [{ type: 'origin', value: 'igp' }];
  const gr = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes: plain, stale: 'gr' }).ranking;
  assert.deepEqual([gr.grStale, gr.llgrStale], [true, false]);
  const llgr = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes: plain, stale: 'llgr' }).ranking;
  assert.deepEqual([llgr.grStale, llgr.llgrStale], [true, true]);
  const marked = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes }).ranking;
  assert.deepEqual([marked.grStale, marked.llgrStale], [false, true]);
});

test('an unresolvable next hop makes the path invalid; a local path needs no resolution', () => {
  const hooks = { igpCost: () => undefined };
  assert.equal(makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes }, hooks).ranking.valid, false);
  assert.equal(makePath({ source: ibgp, nextHops: [], attributes }, { igpCost: () => 1 }).ranking.valid, false);
  const local = makePath({ source: { ...ibgp, kind: 'local' }, nextHops: ['10.0.0.1'], attributes }, hooks);
  assert.deepEqual([local.ranking.valid, local.ranking.igpCost], [true, 0]);
});

test('the validity hook sees source and attributes', () => {
  const seen: unknown[] = [];
  const path = makePath(
    { source: ibgp, nextHops: ['10.0.0.7'], attributes },
    { valid: (source, received) => (seen.push(source, received), false) },
  );
  assert.equal(path.ranking.valid, false);
  assert.deepEqual(seen, [ibgp, attributes]);
});

test('refreshNextHop returns the same path when nothing changed, a new one when it did', () => {
  const path = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes }, { igpCost: () => 10 });
  assert.equal(refreshNextHop(path, { igpCost: () => 10 }), path);
  const farther = refreshNextHop(path, { igpCost: () => 20 });
  assert.notEqual(farther, path);
  assert.equal(farther.ranking.igpCost, 20);
  assert.equal(path.ranking.igpCost, 10);
  assert.equal(refreshNextHop(path, { igpCost: () => undefined }).ranking.valid, false);
});

test('samePath compares content, not identity', () => {
  const a = makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes });
  const b = makePath({ source: { ...ibgp }, nextHops: ['10.0.0.7'], attributes: structuredClone(attributes) });
  assert.ok(samePath(a, b));
  const changed = structuredClone(attributes);
  changed[3] = { type: 'med', value: 31 };
  assert.ok(!samePath(a, makePath({ source: ibgp, nextHops: ['10.0.0.7'], attributes: changed })));
  assert.ok(!samePath(a, makePath({ source: ibgp, nextHops: ['10.0.0.8'], attributes })));
  assert.ok(!samePath(a, makePath({ source: ibgp, pathId: 1, nextHops: ['10.0.0.7'], attributes })));
});
