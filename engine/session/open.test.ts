import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AS_TRANS, buildOpen } from './open.ts';
import { testConfig } from './testing.ts';

test('the default OPEN: IPv4 unicast, route refresh, extended message, 4-octet AS, enhanced route refresh', () => {
  assert.deepEqual(buildOpen(testConfig()), {
    type: 'open',
    version: 4,
    myAs: 65001,
    holdTime: 90,
    bgpId: '192.0.2.1',
    capabilities: [
      { type: 'multiprotocol', family: 'ipv4-unicast' },
      { type: 'route-refresh' },
      { type: 'extended-message' },
      { type: 'four-octet-as', asn: 65001 },
      { type: 'enhanced-route-refresh' },
    ],
  });
});

test('an AS above 65535 travels as AS_TRANS, the real one in the capability (RFC 6793)', () => {
  const open = buildOpen(testConfig({ localAs: 4200000001 }));
  assert.equal(open.myAs, AS_TRANS);
  assert.deepEqual(
    open.capabilities.find((c) => c.type === 'four-octet-as'),
    { type: 'four-octet-as', asn: 4200000001 },
  );
  assert.equal(buildOpen(testConfig({ localAs: 65535 })).myAs, 65535);
});

test('every capability, in ascending code order', () => {
  const open = buildOpen(
    testConfig({
      holdTime: 30,
      families: ['ipv4-unicast', 'ipv6-unicast'],
      addPath: [
        { family: 'ipv4-unicast', mode: 'send' },
        { family: 'ipv6-unicast', mode: 'both' },
      ],
      extendedNextHop: [{ family: 'ipv4-unicast', nextHopAfi: 2 }],
      gracefulRestart: {
        restartTime: 120,
        restarting: true,
        notification: true,
        families: [
          { family: 'ipv4-unicast', forwarding: true },
          { family: 'ipv6-unicast', forwarding: false },
        ],
      },
      longLivedGracefulRestart: { families: [{ family: 'ipv4-unicast', forwarding: true, staleTime: 3600 }] },
    }),
  );
  assert.equal(open.holdTime, 30);
  assert.deepEqual(open.capabilities, [
    { type: 'multiprotocol', family: 'ipv4-unicast' },
    { type: 'multiprotocol', family: 'ipv6-unicast' },
    { type: 'route-refresh' },
    { type: 'extended-next-hop', entries: [{ family: 'ipv4-unicast', nextHopAfi: 2 }] },
    { type: 'extended-message' },
    {
      type: 'graceful-restart',
      restarting: true,
      notification: true,
      restartTime: 120,
      families: [
        { family: 'ipv4-unicast', forwarding: true },
        { family: 'ipv6-unicast', forwarding: false },
      ],
    },
    { type: 'four-octet-as', asn: 65001 },
    {
      type: 'add-path',
      families: [
        { family: 'ipv4-unicast', mode: 'send' },
        { family: 'ipv6-unicast', mode: 'both' },
      ],
    },
    { type: 'enhanced-route-refresh' },
    { type: 'long-lived-graceful-restart', families: [{ family: 'ipv4-unicast', forwarding: true, staleTime: 3600 }] },
  ]);
});

test('capabilities switched off are left out', () => {
  const open = buildOpen(testConfig({ routeRefresh: false, enhancedRouteRefresh: false, extendedMessage: false }));
  assert.deepEqual(open.capabilities, [
    { type: 'multiprotocol', family: 'ipv4-unicast' },
    { type: 'four-octet-as', asn: 65001 },
  ]);
});
