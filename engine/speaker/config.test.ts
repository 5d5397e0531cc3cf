/** Configuration checks: each bad field named in the complaint; defaults filled in. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, speakerConfig } from './config.ts';

const base = { asn: 65001, routerId: '192.0.2.1' };
const peer = { address: '192.0.2.2', asn: 65002 };

const refused: { name: string; config: unknown; field: string; message: RegExp }[] = [
  { name: 'not an object', config: [], field: 'config', message: /not an object/ },
  { name: 'AS out of range', config: { ...base, asn: 0 }, field: 'asn', message: /1 to 4294967295/ },
  { name: 'router id not IPv4', config: { ...base, routerId: '2001:db8::1' }, field: 'routerId', message: /IPv4/ },
  { name: 'router id zero', config: { ...base, routerId: '0.0.0.0' }, field: 'routerId', message: /non-zero/ },
  { name: 'unknown setting', config: { ...base, asNumber: 1 }, field: 'asNumber', message: /not a known setting/ },
  { name: 'bad peer address', config: { ...base, peers: [{ ...peer, address: '192.0.2.300' }] }, field: 'peers[0].address', message: /not an IP address/ },
  { name: 'peer AS out of range', config: { ...base, peers: [{ ...peer, asn: 2 ** 32 }] }, field: 'peers[0].asn', message: /4294967295/ },
  { name: 'unknown family', config: { ...base, peers: [{ ...peer, families: ['l2vpn-evpn'] }] }, field: 'peers[0].families[0]', message: /unknown family/ },
  { name: 'ADD-PATH mode', config: { ...base, peers: [{ ...peer, addPath: { 'ipv4-unicast': 'all' } }] }, field: 'peers[0].addPath.ipv4-unicast', message: /receive, send or both/ },
  { name: 'ADD-PATH for a family not carried', config: { ...base, peers: [{ ...peer, addPath: { 'ipv6-unicast': 'send' } }] }, field: 'peers[0].addPath.ipv6-unicast', message: /does not carry/ },
  { name: 'hold time 2', config: { ...base, peers: [{ ...peer, holdTime: 2 }] }, field: 'peers[0].holdTime', message: /RFC 4271/ },
  { name: 'local address of the other family', config: { ...base, peers: [{ ...peer, localAddress: '::1' }] }, field: 'peers[0].localAddress', message: /family/ },
  { name: 'GTSM and multihop', config: { ...base, peers: [{ ...peer, ttlSecurity: 1, multihop: 2 }] }, field: 'peers[0].multihop', message: /GTSM/ },
  { name: 'peer twice', config: { ...base, peers: [peer, peer] }, field: 'peers[1].address', message: /twice/ },
  { name: 'bad policy', config: { ...base, peers: [{ ...peer, importPolicy: { statements: 'x' } }] }, field: 'peers[0].importPolicy.statements', message: /not a list/ },
  { name: 'unknown tie-breaker', config: { ...base, multipath: { upTo: 'coin-toss' } }, field: 'multipath.upTo', message: /not a tie-breaker/ },
  { name: 'restart time over 12 bits', config: { ...base, gracefulRestart: { restartTime: 4096 } }, field: 'gracefulRestart.restartTime', message: /4095/ },
  { name: 'listen address', config: { ...base, listen: [{ address: 'localhost', port: 179 }] }, field: 'listen[0].address', message: /not an IP address/ },
  { name: 'route next hop', config: { ...base, routes: [{ prefix: '198.51.100.1/32', nextHop: 'x' }] }, field: 'routes[0].nextHop', message: /not an IP address/ },
];

for (const { name, config, field, message } of refused) {
  test(`speaker config refused: ${name}`, () => {
    assert.throws(
      () => speakerConfig(config),
      (error: unknown) => error instanceof ConfigError && error.field === field && message.test(error.message) && error.message.startsWith(`${field}: `),
    );
  });
}

test('speaker config: defaults filled in, addresses in one spelling', () => {
  const config = speakerConfig({
    ...base,
    listen: [{ address: '::ffff:127.0.0.1' }],
    multipath: {},
    gracefulRestart: {},
    peers: [{ address: '2001:DB8::2', asn: 65002 }],
  });
  assert.deepEqual(config.listen, [{ address: '127.0.0.1', port: 179 }]);
  assert.deepEqual(config.multipath, { upTo: 'igp-cost', relaxAsPath: false, maximumPaths: 8 });
  assert.deepEqual(config.gracefulRestart, { restartTime: 120, restarting: false, llgrStaleTime: 0, stalePathTime: 360 });
  assert.equal(config.peers[0].address, '2001:db8::2');
  assert.deepEqual(config.routes, []);
});
