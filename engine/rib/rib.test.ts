/**
 * The RIB facade through whole scenarios: sessions coming and going with graceful restart, max
 * prefix, long-lived stale routes, and the Loc-RIB's reasons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UpdateMessage } from '../wire/types.ts';
import { Rib, type PeerSpec } from './rib.ts';
import { countingCodec, RecordingMember, routeLines, testSession, type TestSessionSpec } from './test-rib.ts';

function speaker() {
  const rib = new Rib({ localAs: 65000, routerId: '192.0.2.254', codec: countingCodec(), now: () => 0 });
  const peers = new Map<string, PeerSpec>();
  const peer = (address: string, session: TestSessionSpec = {}, extra: Partial<PeerSpec> = {}) => {
    const member = new RecordingMember();
    const spec: PeerSpec = {
      address,
      session: testSession({ peerId: address, ...session }),
      member,
      nextHopSelf: { ipv4: '192.0.2.254' },
      ...extra,
    };
    rib.addPeer(spec);
    peers.set(address, spec);
    return member;
  };
  return { rib, peer };
}

const announce = (from: string, asn: number, prefixes: string[], communities: string[] = []): UpdateMessage => ({
  type: 'update',
  withdrawn: [],
  attributes: [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', segments: [{ type: 'sequence', asns: [asn] }] },
    { type: 'next-hop', value: from },
    ...(communities.length > 0 ? [{ type: 'communities' as const, values: communities }] : []),
  ],
  nlri: prefixes.map((prefix) => ({ prefix })),
});
const endOfRib: UpdateMessage = { type: 'update', withdrawn: [], attributes: [], nlri: [] };

test('graceful restart: the peer\'s paths stay stale while it restarts, its End-of-RIB sweeps what it did not send again', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001 });
  const other = peer('10.0.0.2', { peerAs: 65002 });
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32', '198.51.100.2/32']));
  assert.deepEqual(routeLines(other.take()), ['eor ipv4-unicast', '+ 198.51.100.1/32 192.0.2.254', '+ 198.51.100.2/32 192.0.2.254']);

  assert.deepEqual(rib.removePeer('10.0.0.1', { stale: { mode: 'gr', families: ['ipv4-unicast'] } }), []);
  assert.deepEqual(other.writes, []);
  assert.ok(rib.adjRibIn('10.0.0.1').every((route) => route.stale === 'gr'));

  const back = peer('10.0.0.1', { peerAs: 65001 });
  assert.deepEqual(routeLines(back.take()), ['eor ipv4-unicast']);
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32']));
  assert.deepEqual(other.writes, []);
  const outcome = rib.receiveUpdate('10.0.0.1', endOfRib);
  assert.deepEqual(outcome.endOfRib, ['ipv4-unicast']);
  assert.deepEqual(outcome.changes.map((change) => [change.prefix, change.best]), [['198.51.100.2/32', undefined]]);
  assert.deepEqual(routeLines(other.take()), ['- 198.51.100.2/32']);
  assert.deepEqual(rib.adjRibIn('10.0.0.1').map((route) => [route.prefix, route.stale]), [['198.51.100.1/32', undefined]]);
});

test('long-lived graceful restart: stale paths go only to peers that announced LLGR, with LLGR_STALE', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001 });
  const plain = peer('10.0.0.2', { peerAs: 65002 });
  const llgr = peer('10.0.0.3', { peerAs: 65003, llgrFamilies: ['ipv4-unicast'] });
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32']));
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.2/32'], ['65535:7']));
  plain.take();
  llgr.take();
  rib.removePeer('10.0.0.1', { stale: { mode: 'gr', families: ['ipv4-unicast'] } });
  rib.markLongLivedStale('10.0.0.1', ['ipv4-unicast']);
  assert.deepEqual(routeLines(plain.take()), ['- 198.51.100.1/32', '- 198.51.100.2/32']);
  const updates = llgr.take();
  assert.deepEqual(routeLines(updates), ['- 198.51.100.2/32', '+ 198.51.100.1/32 192.0.2.254']);
  assert.deepEqual(
    updates[1].attributes.find((attribute) => attribute.type === 'communities'),
    { type: 'communities', values: ['65535:6'] },
  );
  rib.sweepStale('10.0.0.1');
  assert.deepEqual(routeLines(llgr.take()), ['- 198.51.100.1/32']);
  assert.deepEqual(rib.adjRibIn('10.0.0.1'), []);
});

test('max-prefix: the outcome says how many the peer sent past its limit', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001 }, { maxPrefixes: 1 });
  const outcome = rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32', '198.51.100.2/32']));
  assert.deepEqual(outcome.maxPrefixExceeded, { count: 2, limit: 1 });
  assert.equal(outcome.changes.length, 1);
  assert.equal(rib.removePeer('10.0.0.1').length, 1);
  assert.deepEqual(rib.destinations(), []);
});

test('the Loc-RIB tells why each path lost, and a session ending takes its paths', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001 });
  peer('10.0.0.2', { peerAs: 65002 });
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32']));
  rib.receiveUpdate('10.0.0.2', {
    ...announce('10.0.0.2', 65002, ['198.51.100.1/32']),
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns: [65002, 65020] }] },
      { type: 'next-hop', value: '10.0.0.2' },
    ],
  });
  const destination = rib.destination('ipv4-unicast', '198.51.100.1/32');
  assert.equal(destination?.ranking.best?.source.peerAddress, '10.0.0.1');
  assert.deepEqual(destination?.ranking.losers.map((loser) => [loser.path.source.peerAddress, loser.reason]), [['10.0.0.2', 'as-path-length']]);
  const changes = rib.removePeer('10.0.0.1');
  assert.deepEqual(changes.map((change) => change.best?.source.peerAddress), ['10.0.0.2']);
  assert.deepEqual(rib.adjRibOut('10.0.0.2'), []);
});

test('originated routes: defaults, replacement by path id, several paths of one prefix', () => {
  const { rib } = speaker();
  rib.originate([
    { prefix: '198.51.100.1/32', nextHop: '192.0.2.10', pathId: 1 },
    { prefix: '198.51.100.1/32', nextHop: '192.0.2.11', pathId: 2 },
  ]);
  assert.deepEqual(
    rib.originated().map((route) => [route.pathId, route.path.nextHops, route.path.attributes]),
    [
      [1, ['192.0.2.10'], [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }]],
      [2, ['192.0.2.11'], [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }]],
    ],
  );
  assert.equal(rib.internedSets(), 2);
  rib.originate([{ prefix: '198.51.100.1/32', nextHop: '192.0.2.12', pathId: 2, attributes: [{ type: 'origin', value: 'incomplete' }] }]);
  assert.deepEqual(rib.originated()[1].path.attributes, [{ type: 'origin', value: 'incomplete' }, { type: 'as-path', segments: [] }]);
  assert.equal(rib.destination('ipv4-unicast', '198.51.100.1/32')?.paths.length, 2);
  rib.withdraw([{ prefix: '198.51.100.1/32', pathId: 1 }, { prefix: '198.51.100.1/32', pathId: 2 }]);
  assert.deepEqual(rib.destinations(), []);
  assert.equal(rib.internedSets(), 0);
  const bad = [
    { prefix: 'vip' },
    { prefix: '198.51.100.1/32', nextHop: 'node-1' },
    { prefix: '198.51.100.1/32', attributes: [{ type: 'communities' as const, values: ['no-export'] }] },
  ];
  for (const route of bad) {
    assert.throws(() => rib.originate([{ prefix: '198.51.100.2/32', nextHop: '192.0.2.10' }, route]), RangeError);
  }
  assert.deepEqual(rib.destinations(), []);
});

test('AFI/SAFI disable from the session drops the family once', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001 });
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.1/32']));
  assert.equal(rib.disableFamily('10.0.0.1', 'ipv4-unicast').length, 1);
  assert.deepEqual(rib.disableFamily('10.0.0.1', 'ipv4-unicast'), []);
  assert.deepEqual(rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', 65001, ['198.51.100.2/32'])).changes, []);
});

test('a second session for a peer with one is refused', () => {
  const { peer } = speaker();
  peer('10.0.0.1');
  assert.throws(() => peer('10.0.0.1'), /already has a session/);
});
