/**
 * Update groups as a peer sees them: the bytes each member is sent, decoded with the codec.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectCodec, tsCodec } from '../wire/index.ts';
import type { PathAttribute, UpdateMessage, WireCodec } from '../wire/types.ts';
import { Rib, type PeerSpec } from './rib.ts';
import { countingCodec, RecordingMember, routeLines, testSession, type TestSessionSpec } from './test-rib.ts';

const VIP = '198.51.100.10/32';

function speaker(options: Partial<ConstructorParameters<typeof Rib>[0]> = {}) {
  const codec = countingCodec();
  const rib = new Rib({ localAs: 65000, routerId: '192.0.2.254', codec, now: () => 0, ...options });
  const peer = (address: string, session: TestSessionSpec = {}, extra: Partial<PeerSpec> = {}) => {
    const member = new RecordingMember();
    const spec: PeerSpec = {
      address,
      session: testSession({ peerId: address, ...session }),
      member,
      nextHopSelf: { ipv4: '192.0.2.254', ipv6: '2001:db8::254' },
      ...extra,
    };
    rib.addPeer(spec);
    return { member, spec, context: spec.session.encode };
  };
  return { rib, codec, peer };
}

function attribute<T extends PathAttribute['type']>(update: UpdateMessage, type: T) {
  return update.attributes.find((candidate) => candidate.type === type) as Extract<PathAttribute, { type: T }> | undefined;
}

test('the first member of an empty group gets End-of-RIB alone, for each family', () => {
  const { peer } = speaker();
  const a = peer('10.0.0.1', { families: ['ipv4-unicast', 'ipv6-unicast'] });
  assert.deepEqual(routeLines(a.member.take(a.context)), ['eor ipv4-unicast', 'eor ipv6-unicast']);
});

test('a member joining late gets the whole table, then End-of-RIB; the others get nothing', () => {
  const { rib, peer } = speaker();
  const a = peer('10.0.0.1');
  a.member.take();
  rib.originate([
    { prefix: '198.51.100.1/32', nextHop: '192.0.2.10' },
    { prefix: '198.51.100.2/32', nextHop: '192.0.2.10' },
    { prefix: '198.51.100.3/32', nextHop: '192.0.2.11' },
  ]);
  a.member.take();
  const b = peer('10.0.0.2');
  const updates = b.member.take();
  assert.deepEqual(routeLines(updates), [
    '+ 198.51.100.1/32 192.0.2.10',
    '+ 198.51.100.2/32 192.0.2.10',
    '+ 198.51.100.3/32 192.0.2.11',
    'eor ipv4-unicast',
  ]);
  // Two attribute sets, so two UPDATEs of routes, and the End-of-RIB.
  assert.equal(updates.length, 3);
  assert.deepEqual(attribute(updates[0], 'as-path'), { type: 'as-path', segments: [{ type: 'sequence', asns: [65000] }] });
  assert.deepEqual(a.member.writes, []);
  assert.equal(rib.updateGroups().length, 1);
});

test('a one-prefix change is one small UPDATE, encoded once, the same bytes to every member', () => {
  const { rib, codec, peer } = speaker();
  const members = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address) => peer(address).member);
  for (const member of members) member.take();
  const before = codec.encodeCalls;
  rib.originate([{ prefix: VIP, nextHop: '192.0.2.10' }]);
  assert.equal(codec.encodeCalls, before + 1);
  assert.ok(members.every((member) => member.writes.length === 1 && member.writes[0] === members[0].writes[0]));
  const [bytes] = members[0].writes;
  assert.ok(bytes.length < 64, `${bytes.length} octets`);
  assert.deepEqual(routeLines(members[0].take()), [`+ ${VIP} 192.0.2.10`]);
  for (const member of members) member.take();
  rib.withdraw([{ prefix: VIP }]);
  assert.equal(codec.encodeCalls, before + 2);
  for (const member of members) assert.deepEqual(routeLines(member.take()), [`- ${VIP}`]);
});

test('a member leaving disturbs no other member', () => {
  const { rib, peer } = speaker();
  const a = peer('10.0.0.1');
  const b = peer('10.0.0.2');
  rib.originate([{ prefix: VIP, nextHop: '192.0.2.10' }]);
  a.member.take();
  b.member.take();
  assert.deepEqual(rib.removePeer('10.0.0.2'), []);
  assert.deepEqual(a.member.writes, []);
  rib.originate([{ prefix: '198.51.100.11/32', nextHop: '192.0.2.10' }]);
  assert.deepEqual(routeLines(a.member.take()), ['+ 198.51.100.11/32 192.0.2.10']);
  assert.deepEqual(b.member.writes, []);
  assert.deepEqual(rib.updateGroups().map((group) => group.members), [['10.0.0.1']]);
});

test('members whose sessions differ in capabilities are in different groups, each sent its own encoding', () => {
  const { rib, codec, peer } = speaker({ localAs: 4200000000 });
  const fourOctet = peer('10.0.0.1');
  const twoOctet = peer('10.0.0.2', { fourOctetAs: false });
  const addPath = peer('10.0.0.3', { addPathSend: ['ipv4-unicast'] });
  const again = peer('10.0.0.4');
  assert.deepEqual(
    rib.updateGroups().map((group) => group.members),
    [['10.0.0.1', '10.0.0.4'], ['10.0.0.2'], ['10.0.0.3']],
  );
  for (const { member } of [fourOctet, twoOctet, addPath, again]) member.take();
  const before = codec.encodeCalls;
  rib.originate([{ prefix: VIP, nextHop: '192.0.2.10' }]);
  assert.equal(codec.encodeCalls, before + 3);
  const [four] = fourOctet.member.take(fourOctet.context);
  const [two] = twoOctet.member.take(twoOctet.context);
  const [withId] = addPath.member.take(addPath.context);
  assert.deepEqual(attribute(four, 'as-path')?.segments, [{ type: 'sequence', asns: [4200000000] }]);
  assert.deepEqual(attribute(two, 'as-path')?.segments, [{ type: 'sequence', asns: [23456] }]);
  assert.deepEqual(attribute(two, 'as4-path')?.segments, [{ type: 'sequence', asns: [4200000000] }]);
  assert.deepEqual(routeLines([withId]), [`+ ${VIP}#1 192.0.2.10`]);
});

test('a path never goes back to the member it came from', () => {
  const { rib, codec, peer } = speaker();
  const p1 = peer('10.0.0.1', { peerAs: 65001 });
  const p2 = peer('10.0.0.2', { peerAs: 65002 });
  const p3 = peer('10.0.0.3', { peerAs: 65003 });
  for (const { member } of [p1, p2, p3]) member.take();
  const announce = (from: string, asns: number[]): UpdateMessage => ({
    type: 'update',
    withdrawn: [],
    attributes: [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [{ type: 'sequence', asns }] }, { type: 'next-hop', value: from }],
    nlri: [{ prefix: VIP }],
  });
  const before = codec.encodeCalls;
  rib.receiveUpdate('10.0.0.1', announce('10.0.0.1', [65001, 65010]));
  assert.equal(codec.encodeCalls, before + 1);
  assert.deepEqual(p1.member.writes, []);
  assert.deepEqual(routeLines(p2.member.take()), [`+ ${VIP} 192.0.2.254`]);
  assert.deepEqual(routeLines(p3.member.take()), [`+ ${VIP} 192.0.2.254`]);
  // A shorter path from p2: p1 now gets p2's path, p2 loses p1's, p3 sees one replacement.
  rib.receiveUpdate('10.0.0.2', announce('10.0.0.2', [65002]));
  assert.deepEqual(routeLines(p1.member.take()), [`+ ${VIP} 192.0.2.254`]);
  assert.deepEqual(routeLines(p2.member.take()), [`- ${VIP}`]);
  const [replacement] = p3.member.take();
  assert.deepEqual(attribute(replacement, 'as-path')?.segments, [{ type: 'sequence', asns: [65000, 65002] }]);
  assert.deepEqual(rib.adjRibOut('10.0.0.2'), []);
  assert.equal(rib.adjRibOut('10.0.0.1').length, 1);
});

test('a batch several members sent paths into: each is sent the others\' paths, never its own, one encoding per source', () => {
  let sendPending: (() => void) | undefined;
  const { rib, codec, peer } = speaker({ scheduleSend: (send) => (sendPending = send) });
  const sources = [1, 2, 3, 4].map((n) => peer(`10.0.0.${n}`, { peerAs: 65000 + n }));
  const listener = peer('10.0.0.9', { peerAs: 65009 });
  for (const { member } of [...sources, listener]) member.take();
  const prefix = (n: number): string => `198.51.100.${n}/32`;
  for (let n = 1; n <= 4; n++) {
    rib.receiveUpdate(`10.0.0.${n}`, {
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', segments: [{ type: 'sequence', asns: [65000 + n] }] },
        { type: 'next-hop', value: `10.0.0.${n}` },
      ],
      nlri: [{ prefix: prefix(n) }],
    });
  }
  assert.deepEqual(listener.member.writes, [], 'nothing is sent before the scheduled call');
  const before = codec.encodeCalls;
  sendPending?.();
  assert.equal(codec.encodeCalls - before, 4);
  const lines = (n: number): string[] => [`+ ${prefix(n)} 192.0.2.254`];
  assert.deepEqual(routeLines(listener.member.take()).sort(), [1, 2, 3, 4].flatMap(lines).sort());
  sources.forEach(({ member }, index) => {
    const others = [1, 2, 3, 4].filter((n) => n !== index + 1);
    assert.deepEqual(routeLines(member.take()).sort(), others.flatMap(lines).sort());
  });
});

test('reflector with ADD-PATH: three next hops for one VIP reach a client as three paths with distinct ids', () => {
  const { rib, peer } = speaker({ rank: { multipath: { upTo: 'igp-cost', maximumPaths: 8 } } });
  const clients = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address) => peer(address, { internal: true }, { rrClient: true }));
  const addPath = peer('10.0.0.9', { internal: true, addPathSend: ['ipv4-unicast'] }, { rrClient: true });
  const firstTwo = peer('10.0.0.8', { internal: true, addPathSend: ['ipv4-unicast'] }, { rrClient: true, addPathPaths: 2 });
  for (const { member } of [...clients, addPath, firstTwo]) member.take();
  for (const client of clients) {
    rib.receiveUpdate(client.spec.address, {
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', segments: [] },
        { type: 'next-hop', value: client.spec.address },
        { type: 'local-pref', value: 100 },
      ],
      nlri: [{ prefix: VIP }],
    });
  }
  const updates = addPath.member.take(addPath.context);
  assert.deepEqual(routeLines(updates), [`+ ${VIP}#1 10.0.0.1`, `+ ${VIP}#2 10.0.0.2`, `+ ${VIP}#3 10.0.0.3`]);
  assert.deepEqual(
    updates.map((update) => [attribute(update, 'originator-id')?.value, attribute(update, 'cluster-list')?.values]),
    [
      ['10.0.0.1', ['192.0.2.254']],
      ['10.0.0.2', ['192.0.2.254']],
      ['10.0.0.3', ['192.0.2.254']],
    ],
  );
  assert.deepEqual(routeLines(firstTwo.member.take(firstTwo.context)), [`+ ${VIP}#1 10.0.0.1`, `+ ${VIP}#2 10.0.0.2`]);
  // Without ADD-PATH, clients get the best path (10.0.0.1's, lowest router id), its source nothing.
  assert.deepEqual(routeLines(clients[0].member.take()), []);
  assert.deepEqual(routeLines(clients[1].member.take()), [`+ ${VIP} 10.0.0.1`]);
  assert.deepEqual(routeLines(clients[2].member.take()), [`+ ${VIP} 10.0.0.1`]);
  // One path withdrawn: one withdrawal of its id, the others keep theirs.
  rib.receiveUpdate('10.0.0.2', { type: 'update', withdrawn: [{ prefix: VIP }], attributes: [], nlri: [] });
  assert.deepEqual(routeLines(addPath.member.take(addPath.context)), [`- ${VIP}#2`]);
  // The third path keeps its id when it moves up into the two sent.
  assert.deepEqual(routeLines(firstTwo.member.take(firstTwo.context)), [`- ${VIP}#2`, `+ ${VIP}#3 10.0.0.3`]);
  assert.deepEqual(clients[2].member.writes, []);
});

test('new ranking options reach ADD-PATH peers: a wider multipath set is more paths', () => {
  const { rib, peer } = speaker();
  const addPath = peer('10.0.0.9', { internal: true, addPathSend: ['ipv4-unicast'] }, { rrClient: true });
  rib.originate([
    { prefix: VIP, nextHop: '192.0.2.10', pathId: 1 },
    { prefix: VIP, nextHop: '192.0.2.11', pathId: 2 },
  ]);
  assert.deepEqual(routeLines(addPath.member.take(addPath.context)), ['eor ipv4-unicast', `+ ${VIP}#1 192.0.2.10`]);
  rib.setRankOptions({ multipath: { upTo: 'igp-cost', maximumPaths: 4 } });
  assert.deepEqual(routeLines(addPath.member.take(addPath.context)), [`+ ${VIP}#2 192.0.2.11`]);
});

test('a route refresh sends one member its table again, with End-of-RIB', () => {
  const { rib, peer } = speaker();
  const a = peer('10.0.0.1', { families: ['ipv4-unicast', 'ipv6-unicast'] });
  const b = peer('10.0.0.2', { families: ['ipv4-unicast', 'ipv6-unicast'] });
  rib.originate([{ prefix: VIP, nextHop: '192.0.2.10' }, { prefix: '2001:db8:100::10/128', nextHop: '2001:db8::10' }]);
  a.member.take();
  b.member.take();
  rib.refresh('10.0.0.1', ['ipv6-unicast']);
  assert.deepEqual(routeLines(a.member.take()), ['+ 2001:db8:100::10/128 2001:db8::10', 'eor ipv6-unicast']);
  assert.deepEqual(b.member.writes, []);
  rib.refresh('10.0.0.1', ['ipv4-unicast'], { endOfRib: false });
  assert.deepEqual(routeLines(a.member.take()), [`+ ${VIP} 192.0.2.10`]);
});

test('an export policy change moves a peer to another group and sends it only the difference', () => {
  const { rib, peer } = speaker();
  const a = peer('10.0.0.1');
  const b = peer('10.0.0.2');
  rib.originate([
    { prefix: '198.51.100.1/32', nextHop: '192.0.2.10' },
    { prefix: '198.51.100.2/32', nextHop: '192.0.2.10' },
  ]);
  a.member.take();
  b.member.take();
  rib.updatePeer({
    ...a.spec,
    exportPolicy: {
      statements: [
        { match: { prefixList: [{ action: 'permit', prefix: '198.51.100.2/32' }] }, decision: 'reject' },
        { match: { prefixList: [{ action: 'permit', prefix: '198.51.100.1/32' }] }, actions: { med: 10 }, decision: 'accept' },
      ],
    },
  });
  const updates = a.member.take();
  assert.deepEqual(routeLines(updates), ['- 198.51.100.2/32', '+ 198.51.100.1/32 192.0.2.10']);
  assert.deepEqual(attribute(updates[1], 'med'), { type: 'med', value: 10 });
  assert.deepEqual(b.member.writes, []);
  assert.equal(rib.updateGroups().length, 2);
});

test('the native codec, when it loads, writes a group the same bytes as the TypeScript one', (context) => {
  const selection = selectCodec('auto');
  if (selection.codec.name !== 'native') {
    context.skip(`native codec unavailable: ${selection.fallbackReason}`);
    return;
  }
  const run = (codec: WireCodec): Uint8Array[] => {
    const rib = new Rib({ localAs: 4200000000, routerId: '192.0.2.254', codec, now: () => 0 });
    const member = new RecordingMember();
    rib.addPeer({
      address: '10.0.0.1',
      session: testSession({ families: ['ipv4-unicast', 'ipv6-unicast', 'l2vpn-evpn'], fourOctetAs: false, addPathSend: ['ipv6-unicast'] }),
      member,
      nextHopSelf: { ipv4: '192.0.2.254', ipv6: '2001:db8::254' },
    });
    rib.originate([
      { prefix: VIP, nextHop: '192.0.2.10', attributes: [{ type: 'communities', values: ['65000:1'] }] },
      { prefix: '2001:db8:100::/48', nextHop: '2001:db8::10' },
    ]);
    rib.withdraw([{ prefix: VIP }]);
    return member.writes;
  };
  assert.deepEqual(run(selection.codec), run(tsCodec));
});

test('a path too large for a member\'s session is not sent to it; the rest of the table is', () => {
  const { rib, peer } = speaker();
  peer('10.0.0.1', { peerAs: 65001, extendedMessage: true });
  const small = peer('10.0.0.2', { peerAs: 65002 });
  const large = peer('10.0.0.3', { peerAs: 65003, extendedMessage: true });
  small.member.take();
  large.member.take();
  const announce = (prefix: string, asns: number[]): UpdateMessage => ({
    type: 'update',
    withdrawn: [],
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns }] },
      { type: 'next-hop', value: '10.0.0.1' },
    ],
    nlri: [{ prefix }],
  });
  const long = [65001, ...Array.from({ length: 1100 }, (_, index) => 64512 + (index % 100))];
  rib.receiveUpdate('10.0.0.1', announce('198.51.100.1/32', long));
  rib.receiveUpdate('10.0.0.1', announce('198.51.100.2/32', [65001]));
  assert.deepEqual(routeLines(small.member.take(small.context)), ['+ 198.51.100.2/32 192.0.2.254']);
  assert.deepEqual(routeLines(large.member.take(large.context)), ['+ 198.51.100.1/32 192.0.2.254', '+ 198.51.100.2/32 192.0.2.254']);
});
