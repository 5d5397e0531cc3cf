import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPathChanges, createLocRib, findDestination, setRankOptions, type PathChange } from './loc-rib.ts';
import { testPath } from './test-paths.ts';

const v4 = '198.51.100.1/32';
const v6 = '2001:db8:100::1/128';

const a = testPath({ kind: 'ibgp', peer: '10.0.0.1', asns: [65001], med: 10, igpCost: 10 });
const b = testPath({ kind: 'ibgp', peer: '10.0.0.2', asns: [65002], med: 5, igpCost: 20 });
const c = testPath({ kind: 'ibgp', peer: '10.0.0.3', asns: [65001], med: 0, igpCost: 30 });

function set(family: string, prefix: string, path = a): PathChange {
  return { type: 'set', family, prefix, path };
}

test('a batch ranks each touched destination once and reports them in the order first touched', () => {
  const rib = createLocRib();
  const { changes, touched } = applyPathChanges(rib, [
    set('ipv6-unicast', v6, b),
    set('ipv4-unicast', v4, b),
    set('ipv6-unicast', v6, a),
    set('ipv4-unicast', v4, c),
  ]);
  assert.deepEqual(
    touched.map((destination) => destination.prefix),
    [v6, v4],
  );
  assert.deepEqual(
    changes.map((change) => [change.family, change.prefix, change.best]),
    [
      ['ipv6-unicast', v6, a],
      ['ipv4-unicast', v4, b],
    ],
  );
  assert.equal(rib.destinations.size, 2);
  assert.equal(findDestination(rib, 'ipv4-unicast', v4)?.paths.length, 2);
  assert.equal(findDestination(rib, 'ipv4-unicast', v6), undefined);
});

test('a batch that changes nothing outbound reports nothing', () => {
  const rib = createLocRib();
  applyPathChanges(rib, [set('ipv4-unicast', v4, a)]);
  assert.deepEqual(applyPathChanges(rib, [set('ipv4-unicast', v4, a)]), { changes: [], touched: [] });
  assert.deepEqual(
    applyPathChanges(rib, [
      { type: 'remove', family: 'ipv4-unicast', prefix: '203.0.113.0/24', peerAddress: '10.0.0.1', pathId: 0 },
    ]),
    { changes: [], touched: [] },
  );
});

test('a prefix added and removed within one batch leaves nothing behind', () => {
  const rib = createLocRib();
  const { changes, touched } = applyPathChanges(rib, [
    set('ipv4-unicast', v4, a),
    { type: 'remove', family: 'ipv4-unicast', prefix: v4, peerAddress: '10.0.0.1', pathId: 0 },
  ]);
  assert.deepEqual(changes, []);
  assert.deepEqual(
    touched.map((destination) => [destination.prefix, destination.paths.length]),
    [[v4, 0]],
  );
  assert.equal(rib.destinations.size, 0);
});

test('withdrawing the last path reports the loss of the best and drops the destination', () => {
  const rib = createLocRib();
  applyPathChanges(rib, [set('ipv4-unicast', v4, a)]);
  const { changes } = applyPathChanges(rib, [
    { type: 'remove', family: 'ipv4-unicast', prefix: v4, peerAddress: '10.0.0.1', pathId: 0 },
  ]);
  assert.deepEqual(
    changes.map((change) => [change.previousBest, change.best, change.bestChanged]),
    [[a, undefined, true]],
  );
  assert.equal(rib.destinations.size, 0);
});

test('new options rank every destination again and report those whose outcome changed', () => {
  const rib = createLocRib();
  applyPathChanges(rib, [
    set('ipv4-unicast', v4, a),
    set('ipv4-unicast', v4, b),
    set('ipv4-unicast', v4, c),
    set('ipv6-unicast', v6, a),
  ]);
  assert.equal(findDestination(rib, 'ipv4-unicast', v4)?.ranking.best, b);
  const changes = setRankOptions(rib, { alwaysCompareMed: true });
  assert.deepEqual(
    changes.map((change) => [change.prefix, change.previousBest, change.best]),
    [[v4, b, c]],
  );
  assert.deepEqual(rib.options, { alwaysCompareMed: true });
});
