import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capability, OpenMessage } from '../wire/types.ts';
import { negotiate } from './negotiate.ts';
import { buildOpen } from './open.ts';
import { peerOpen, testConfig } from './testing.ts';

function open(capabilities: Capability[], overrides: Partial<OpenMessage> = {}): OpenMessage {
  return { ...peerOpen(overrides), capabilities };
}

const mp = (family: string): Capability => ({ type: 'multiprotocol', family });
const addPath = (...families: [string, 'receive' | 'send' | 'both'][]): Capability => ({
  type: 'add-path',
  families: families.map(([family, mode]) => ({ family, mode })),
});

test('a default session against a typical peer', () => {
  const session = negotiate(buildOpen(testConfig()), peerOpen());
  assert.deepEqual(session, {
    peerAs: 65002,
    peerId: '192.0.2.2',
    internal: false,
    holdTime: 90,
    keepaliveTime: 30,
    families: ['ipv4-unicast'],
    fourOctetAs: true,
    extendedMessage: false,
    routeRefresh: true,
    enhancedRouteRefresh: false,
    addPath: { send: [], receive: [] },
    extendedNextHop: { send: [], receive: [] },
    gracefulNotification: false,
    decode: { fourOctetAs: true, addPath: [], extendedMessage: false },
    encode: { fourOctetAs: true, addPath: [], extendedMessage: false },
  });
});

test('hold time is the smaller of both; 0 on either side means none (RFC 4271 section 4.2)', () => {
  const cases: [number, number, number, number][] = [
    [90, 90, 90, 30],
    [90, 30, 30, 10],
    [10, 90, 10, 3],
    [90, 3, 3, 1],
    [0, 90, 0, 0],
    [90, 0, 0, 0],
    [180, 240, 180, 60],
  ];
  for (const [ours, theirs, holdTime, keepaliveTime] of cases) {
    const session = negotiate(buildOpen(testConfig({ holdTime: ours })), peerOpen({ holdTime: theirs }));
    assert.deepEqual([session.holdTime, session.keepaliveTime], [holdTime, keepaliveTime], `${ours} vs ${theirs}`);
  }
});

test('families: the intersection, in our order; none announced means IPv4 unicast (RFC 4760)', () => {
  const dual = buildOpen(testConfig({ families: ['ipv6-unicast', 'ipv4-unicast'] }));
  const cases: [string, Capability[], string[]][] = [
    ['both families', [mp('ipv4-unicast'), mp('ipv6-unicast')], ['ipv6-unicast', 'ipv4-unicast']],
    ['IPv6 only', [mp('ipv6-unicast')], ['ipv6-unicast']],
    ['no multiprotocol capability', [{ type: 'route-refresh' }], ['ipv4-unicast']],
    ['a family we did not announce', [mp('ipv4-unicast'), mp('l2vpn-evpn')], ['ipv4-unicast']],
    ['repeated', [mp('ipv4-unicast'), mp('ipv4-unicast')], ['ipv4-unicast']],
    ['nothing in common', [mp('ipv4-vpn')], []],
  ];
  for (const [name, capabilities, families] of cases) {
    assert.deepEqual(negotiate(dual, open(capabilities)).families, families, name);
  }
});

test('ADD-PATH: we send where we said send and they said receive, and the reverse (RFC 7911 section 5)', () => {
  const modes = ['receive', 'send', 'both'] as const;
  const table: Record<string, { send: boolean; receive: boolean }> = {
    'receive/receive': { send: false, receive: false },
    'receive/send': { send: false, receive: true },
    'receive/both': { send: false, receive: true },
    'send/receive': { send: true, receive: false },
    'send/send': { send: false, receive: false },
    'send/both': { send: true, receive: false },
    'both/receive': { send: true, receive: false },
    'both/send': { send: false, receive: true },
    'both/both': { send: true, receive: true },
  };
  for (const ours of modes) {
    for (const theirs of modes) {
      const local = buildOpen(testConfig({ addPath: [{ family: 'ipv4-unicast', mode: ours }] }));
      const session = negotiate(local, open([mp('ipv4-unicast'), addPath(['ipv4-unicast', theirs])]));
      const expected = table[`${ours}/${theirs}`];
      const key = `ours ${ours}, theirs ${theirs}`;
      assert.deepEqual(
        session.addPath,
        {
          send: expected.send ? ['ipv4-unicast'] : [],
          receive: expected.receive ? ['ipv4-unicast'] : [],
        },
        key,
      );
      assert.deepEqual(session.encode.addPath, session.addPath.send, key);
      assert.deepEqual(session.decode.addPath, session.addPath.receive, key);
    }
  }
});

test('ADD-PATH applies only to negotiated families, per family, the first mention counting', () => {
  const local = buildOpen(
    testConfig({
      families: ['ipv4-unicast', 'ipv6-unicast'],
      addPath: [
        { family: 'ipv4-unicast', mode: 'send' },
        { family: 'ipv6-unicast', mode: 'receive' },
      ],
    }),
  );
  const peer = open([
    mp('ipv4-unicast'),
    mp('ipv6-unicast'),
    addPath(['ipv4-unicast', 'receive'], ['ipv6-unicast', 'send'], ['ipv4-unicast', 'send']),
  ]);
  const session = negotiate(local, peer);
  assert.deepEqual(session.encode.addPath, ['ipv4-unicast']);
  assert.deepEqual(session.decode.addPath, ['ipv6-unicast']);

  const ipv4Only = negotiate(local, open([mp('ipv4-unicast'), addPath(['ipv6-unicast', 'both'])]));
  assert.deepEqual(ipv4Only.addPath, { send: [], receive: [] });
});

test('a 2-octet peer: no 4-octet AS either way, its AS from My Autonomous System', () => {
  const session = negotiate(buildOpen(testConfig()), open([mp('ipv4-unicast')], { myAs: 65002 }));
  assert.equal(session.fourOctetAs, false);
  assert.equal(session.peerAs, 65002);
  assert.deepEqual(session.decode, { fourOctetAs: false, addPath: [], extendedMessage: false });
  assert.deepEqual(session.encode, { fourOctetAs: false, addPath: [], extendedMessage: false });
});

test('a 4-octet peer AS comes from the capability', () => {
  const peer = open([{ type: 'four-octet-as', asn: 4200000001 }], { myAs: 23456 });
  assert.equal(negotiate(buildOpen(testConfig()), peer).peerAs, 4200000001);
});

test('internal when the peer is in our AS', () => {
  const local = buildOpen(testConfig({ peerAs: 65001 }));
  assert.equal(negotiate(local, peerOpen({ myAs: 65001 })).internal, true);
  assert.equal(negotiate(local, peerOpen()).internal, false);
});

test('extended messages only when both sides announce them (RFC 8654)', () => {
  const cases: [boolean, boolean, boolean][] = [
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [false, false, false],
  ];
  for (const [ours, theirs, expected] of cases) {
    const local = buildOpen(testConfig({ extendedMessage: ours }));
    const peer = open(theirs ? [{ type: 'extended-message' }] : []);
    const session = negotiate(local, peer);
    assert.equal(session.extendedMessage, expected, `${ours}/${theirs}`);
    assert.equal(session.decode.extendedMessage, expected);
    assert.equal(session.encode.extendedMessage, expected);
  }
});

test('route refresh and enhanced route refresh need both sides (RFC 2918, RFC 7313)', () => {
  const local = buildOpen(testConfig());
  const cases: [Capability[], boolean, boolean][] = [
    [[{ type: 'route-refresh' }, { type: 'enhanced-route-refresh' }], true, true],
    [[{ type: 'route-refresh' }], true, false],
    [[{ type: 'enhanced-route-refresh' }], false, true],
    [[], false, false],
  ];
  for (const [capabilities, routeRefresh, enhanced] of cases) {
    const session = negotiate(local, open(capabilities));
    assert.deepEqual([session.routeRefresh, session.enhancedRouteRefresh], [routeRefresh, enhanced]);
  }
  const quiet = buildOpen(testConfig({ routeRefresh: false, enhancedRouteRefresh: false }));
  const session = negotiate(quiet, open([{ type: 'route-refresh' }, { type: 'enhanced-route-refresh' }]));
  assert.deepEqual([session.routeRefresh, session.enhancedRouteRefresh], [false, false]);
});

test('extended next hop: we send what the peer accepts, and accept what we announced (RFC 8950)', () => {
  const local = buildOpen(
    testConfig({
      families: ['ipv4-unicast', 'ipv6-unicast'],
      extendedNextHop: [{ family: 'ipv4-unicast', nextHopAfi: 2 }],
    }),
  );
  const peer = open([
    mp('ipv4-unicast'),
    {
      type: 'extended-next-hop',
      entries: [
        { family: 'ipv4-unicast', nextHopAfi: 2 },
        { family: 'ipv4-vpn', nextHopAfi: 2 },
      ],
    },
  ]);
  assert.deepEqual(negotiate(local, peer).extendedNextHop, {
    send: [{ family: 'ipv4-unicast', nextHopAfi: 2 }],
    receive: [{ family: 'ipv4-unicast', nextHopAfi: 2 }],
  });
  assert.deepEqual(negotiate(local, open([mp('ipv4-unicast')])).extendedNextHop, {
    send: [],
    receive: [{ family: 'ipv4-unicast', nextHopAfi: 2 }],
  });
});

test("the peer's graceful restart and LLGR parameters, for negotiated families, the last GR capability counting", () => {
  const local = buildOpen(
    testConfig({
      gracefulRestart: { restartTime: 90, restarting: false, notification: true, families: [] },
    }),
  );
  const peer = open([
    mp('ipv4-unicast'),
    { type: 'graceful-restart', restarting: false, notification: false, restartTime: 1, families: [] },
    {
      type: 'graceful-restart',
      restarting: true,
      notification: true,
      restartTime: 120,
      families: [
        { family: 'ipv4-unicast', forwarding: true },
        { family: 'ipv6-unicast', forwarding: true },
      ],
    },
    {
      type: 'long-lived-graceful-restart',
      families: [
        { family: 'ipv4-unicast', forwarding: false, staleTime: 86400 },
        { family: 'ipv6-unicast', forwarding: false, staleTime: 86400 },
      ],
    },
  ]);
  const session = negotiate(local, peer);
  assert.deepEqual(session.peerGracefulRestart, {
    restarting: true,
    notification: true,
    restartTime: 120,
    families: [{ family: 'ipv4-unicast', forwarding: true }],
  });
  assert.deepEqual(session.peerLongLivedGracefulRestart, {
    families: [{ family: 'ipv4-unicast', forwarding: false, staleTime: 86400 }],
  });
  assert.equal(session.gracefulNotification, true);

  const plain = negotiate(buildOpen(testConfig()), peer);
  assert.equal(plain.gracefulNotification, false, 'the N bit needs both sides (RFC 8538)');
  const none = negotiate(local, peerOpen());
  assert.equal(none.peerGracefulRestart, undefined);
  assert.equal(none.peerLongLivedGracefulRestart, undefined);
});
