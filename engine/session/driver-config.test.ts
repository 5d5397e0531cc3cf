/** A peer's transport configuration: addresses, checks, socket options, and what a change resets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalAddress,
  configChange,
  peerConfig,
  type PeerConfigInput,
  socketSettings,
  type SocketSettings,
} from './driver-config.ts';

const base: PeerConfigInput = { localAs: 65001, routerId: '192.0.2.1', peerAs: 65002, remoteAddress: '192.0.2.2' };

test('addresses have one spelling: IPv4-mapped as IPv4, IPv6 as RFC 5952 prints it', () => {
  const table: [string, string | undefined][] = [
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['::1', '::1'],
    ['192.0.2', undefined],
    ['peer.example', undefined],
  ];
  for (const [text, canonical] of table) assert.equal(canonicalAddress(text), canonical, text);
});

test('defaults: port 179; the session half goes through sessionConfig', () => {
  const config = peerConfig({ ...base, remoteAddress: '2001:DB8::2', holdTime: 30 });
  assert.deepEqual(config.transport, { remotePort: 179, remoteAddress: '2001:db8::2' });
  assert.equal(config.session.holdTime, 30);
  assert.equal(config.session.connectRetry.base, 5);
  assert.equal('remoteAddress' in config.session, false);
});

test('transports no connection could use are refused with the reason', () => {
  const table: [Partial<PeerConfigInput>, RegExp][] = [
    [{ remoteAddress: 'peer.example' }, /remote address peer.example is not an IP address/],
    [{ remotePort: 0 }, /remote port 0/],
    [{ localAddress: '2001:db8::1' }, /differ in family/],
    [{ localPort: 70000 }, /local port 70000/],
    [{ password: '' }, /1 to 80 octets, not 0/],
    [{ password: 'x'.repeat(81) }, /not 81/],
    [{ ttl: 0 }, /TTL 0 is not 1 to 255/],
    [{ ttlSecurityHops: 255 }, /GTSM hops 255/],
    [{ ttl: 2, ttlSecurityHops: 1 }, /exclude each other/],
    [{ holdTime: 2 }, /hold time 2/],
  ];
  for (const [overrides, message] of table) assert.throws(() => peerConfig({ ...base, ...overrides }), message);
});

test('socket settings: TCP-MD5, GTSM (RFC 5082), multihop TTL, the eBGP default', () => {
  const table: [Partial<PeerConfigInput>, SocketSettings][] = [
    [{}, { ttl: 1, required: [] }],
    [{ peerAs: 65001 }, { required: [] }],
    [{ ttl: 4 }, { ttl: 4, required: ['TTL (ttl)'] }],
    [{ ttlSecurityHops: 1 }, { ttl: 255, minTtl: 255, required: ['GTSM (ttlSecurityHops)'] }],
    [{ ttlSecurityHops: 3, peerAs: 65001 }, { ttl: 255, minTtl: 253, required: ['GTSM (ttlSecurityHops)'] }],
    [{ password: 'secret' }, { md5Key: 'secret', ttl: 1, required: ['TCP-MD5 (password)'] }],
  ];
  for (const [overrides, settings] of table) {
    assert.deepEqual(socketSettings(peerConfig({ ...base, ...overrides })), settings, JSON.stringify(overrides));
  }
});

test('a change resets the session only when the OPEN or the connection must change', () => {
  const table: [Partial<PeerConfigInput>, 'none' | 'reset'][] = [
    [{}, 'none'],
    [{ holdTime: 30 }, 'none'],
    [{ connectRetry: { base: 1, cap: 10 } }, 'none'],
    [{ passive: true }, 'none'],
    [{ remotePort: 1179 }, 'none'],
    [{ localPort: 1179 }, 'none'],
    [{ requiredCapabilities: ['route-refresh'] }, 'none'],
    [{ peerAs: 65003 }, 'reset'],
    [{ routerId: '192.0.2.9' }, 'reset'],
    [{ families: ['ipv4-unicast', 'ipv6-unicast'] }, 'reset'],
    [{ addPath: [{ family: 'ipv4-unicast', mode: 'both' }] }, 'reset'],
    [{ password: 'secret' }, 'reset'],
    [{ localAddress: '192.0.2.1' }, 'reset'],
    [{ ttlSecurityHops: 1 }, 'reset'],
  ];
  const before = peerConfig(base);
  for (const [overrides, change] of table) {
    assert.equal(configChange(before, peerConfig({ ...base, ...overrides })), change, JSON.stringify(overrides));
  }
  assert.throws(() => configChange(before, peerConfig({ ...base, remoteAddress: '192.0.2.3' })), /identifies the peer/);
});
