/** BgpConf and BgpPeer fields as speaker and peer settings, one row per field. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Secret } from '@kubernetes/client-node';
import type { SpeakerPeerConfig } from '../../engine/speaker/config.ts';
import { RACK_LABEL, type BgpConfSpec, type BgpPeerSpec } from '../api/types.ts';
import { identityOf, LONG_LIVED_STALE_TIME, peerSelected, peerSettings, speakerSettings, type SpeakerBase } from './peer-config.ts';
import { makeBgpConf, makeBgpPeer, makeNode } from './testing.ts';

const ADDRESSES = { ipv4: '192.0.2.1', ipv6: '2001:db8::1' };
const node = makeNode('n1', { labels: { [RACK_LABEL]: 'r2' } });

const speakerRows: { name: string; spec: Partial<BgpConfSpec>; expected: Partial<SpeakerBase> }[] = [
  {
    name: 'defaults: the node\'s IPv4 address as router id, port 179 on every address',
    spec: {},
    expected: {
      asn: 65001, routerId: '192.0.2.1', clusterId: '192.0.2.1',
      listen: [{ address: '0.0.0.0', port: 179 }, { address: '::', port: 179 }], addresses: ADDRESSES,
    },
  },
  { name: 'router id given', spec: { routerId: '10.0.0.9' }, expected: { routerId: '10.0.0.9', clusterId: '10.0.0.9' } },
  { name: 'the rack\'s AS', spec: { asPerRack: { r1: 65101, r2: 65102 } }, expected: { asn: 65102 } },
  { name: 'a rack without an entry: the global AS', spec: { asPerRack: { r1: 65101 } }, expected: { asn: 65001 } },
  { name: 'listen port -1: no listener', spec: { listenPort: -1 }, expected: { listen: [] } },
  { name: 'listen port 0: the BGP port', spec: { listenPort: 0, listenAddresses: ['::'] }, expected: { listen: [{ address: '::', port: 179 }] } },
  {
    name: 'listen addresses and port',
    spec: { listenPort: 1790, listenAddresses: ['192.0.2.1'] },
    expected: { listen: [{ address: '192.0.2.1', port: 1790 }] },
  },
  { name: 'GoBGP families', spec: { families: [131073, 65537, 65537] }, expected: { families: ['ipv6-unicast', 'ipv4-unicast'] } },
  { name: 'multiple paths', spec: { useMultiplePaths: true }, expected: { multipath: { upTo: 'igp-cost', relaxAsPath: true, maximumPaths: 8 } } },
  { name: 'graceful restart off', spec: { gracefulRestart: { enabled: false, restartTime: 30 } }, expected: { gracefulRestart: undefined } },
  {
    name: 'graceful restart',
    spec: { gracefulRestart: { enabled: true, restartTime: 30, staleRoutesTime: 90 } },
    expected: { gracefulRestart: { restartTime: 30, restarting: false, llgrStaleTime: 0, stalePathTime: 90 } },
  },
  {
    name: 'graceful restart, helper only, long-lived',
    spec: { gracefulRestart: { enabled: true, helperOnly: true, longlivedEnabled: true } },
    expected: { gracefulRestart: { restartTime: 0, restarting: false, llgrStaleTime: LONG_LIVED_STALE_TIME, stalePathTime: 360 } },
  },
];

for (const row of speakerRows) {
  test(`speaker settings: ${row.name}`, () => {
    const result = speakerSettings(makeBgpConf(row.spec), node, ADDRESSES);
    assert.ok(result.ok, result.ok ? '' : result.error);
    for (const [key, value] of Object.entries(row.expected)) assert.deepEqual(result.value[key as keyof SpeakerBase], value, key);
  });
}

const speakerErrors: { name: string; spec: Partial<BgpConfSpec>; addresses?: object; error: RegExp }[] = [
  { name: 'no router id and no IPv4 address', spec: {}, addresses: { ipv6: '2001:db8::1' }, error: /^routerId: not set/ },
  { name: 'a router id that is no IPv4 address', spec: { routerId: '2001:db8::1' }, error: /^routerId: / },
  { name: 'AS 0', spec: { as: 0 }, error: /^asn: / },
  { name: 'an unknown family', spec: { families: [65537, 196609] }, error: /^families: 196609 not supported/ },
  { name: 'a listen address that is no address', spec: { listenAddresses: ['eth0'] }, error: /^listen\[0\]\.address/ },
];

for (const row of speakerErrors) {
  test(`speaker settings refused: ${row.name}`, () => {
    const result = speakerSettings(makeBgpConf(row.spec), node, row.addresses ?? ADDRESSES);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, row.error);
  });
}

test('the identity changes with AS, router id and listener, not with families', () => {
  const of = (spec: Partial<BgpConfSpec>) => {
    const result = speakerSettings(makeBgpConf(spec), node, ADDRESSES);
    assert.ok(result.ok);
    return identityOf(result.value);
  };
  assert.equal(of({}), of({ families: [65537, 131073] }));
  assert.notEqual(of({}), of({ as: 65002 }));
  assert.notEqual(of({}), of({ routerId: '10.0.0.1' }));
  assert.notEqual(of({}), of({ listenPort: 1790 }));
});

const secret: V1Secret = { metadata: { namespace: 'porter', name: 'md5' }, data: { key: Buffer.from('s3cret').toString('base64') } };
const secrets = (key: string) => (key === 'porter/md5' ? secret : undefined);

const peerRows: { name: string; spec: Partial<BgpPeerSpec>; expected: Partial<SpeakerPeerConfig>; families?: string[] }[] = [
  { name: 'the minimum: one family, the address\'s', spec: {}, expected: { address: '192.0.2.254', asn: 65000, families: ['ipv4-unicast'] } },
  { name: 'no afiSafis: BgpConf families', spec: {}, families: ['ipv4-unicast', 'ipv6-unicast'], expected: { families: ['ipv4-unicast', 'ipv6-unicast'] } },
  { name: 'password in the manifest', spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', authPassword: 'pw' } }, expected: { password: 'pw' } },
  {
    name: 'password from a Secret',
    spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', authPasswordSecretRef: { namespace: 'porter', name: 'md5', key: 'key' } } },
    expected: { password: 's3cret' },
  },
  { name: 'description', spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', description: 'tor-1' } }, expected: { description: 'tor-1' } },
  { name: 'eBGP multihop with a TTL', spec: { ebgpMultihop: { enabled: true, multihopTtl: 3 } }, expected: { multihop: 3 } },
  { name: 'eBGP multihop without one', spec: { ebgpMultihop: { enabled: true } }, expected: { multihop: 255 } },
  { name: 'eBGP multihop disabled', spec: { ebgpMultihop: { enabled: false, multihopTtl: 3 } }, expected: { multihop: undefined } },
  { name: 'timers', spec: { timers: { config: { holdTime: 9, connectRetry: 5, keepaliveInterval: 3 } } }, expected: { holdTime: 9, connectRetry: 5 } },
  { name: 'timers as OpenELB writes them, in text', spec: { timers: { config: { holdTime: '90', connectRetry: '10' } } }, expected: { holdTime: 90, connectRetry: 10 } },
  {
    name: 'transport',
    spec: { transport: { passiveMode: true, remotePort: 1790, localAddress: '192.0.2.1' } },
    expected: { passive: true, port: 1790, localAddress: '192.0.2.1' },
  },
  {
    name: 'afiSafis, a disabled one left out, ADD-PATH receive and send',
    spec: {
      afiSafis: [
        { config: { family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' } }, addPaths: { config: { receive: true, sendMax: 4 } } },
        { config: { family: { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' }, enabled: true }, addPaths: { config: { sendMax: 2 } } },
      ],
    },
    expected: { families: ['ipv4-unicast', 'ipv6-unicast'], addPath: { 'ipv4-unicast': 'both', 'ipv6-unicast': 'send' }, addPathSendMax: 4 },
  },
  {
    name: 'afiSafis with one disabled',
    spec: {
      afiSafis: [
        { config: { family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' }, enabled: false } },
        { config: { family: { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' } }, addPaths: { config: { receive: true } } },
      ],
    },
    expected: { families: ['ipv6-unicast'], addPath: { 'ipv6-unicast': 'receive' } },
  },
  { name: 'graceful restart off for this peer', spec: { gracefulRestart: { enabled: false } }, expected: { gracefulRestart: false } },
  { name: 'long-lived graceful restart', spec: { gracefulRestart: { enabled: true, longlivedEnabled: true } }, expected: { gracefulRestart: true, llgr: true } },
  { name: 'a local AS equal to the node\'s', spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', localAs: 65001 } }, expected: { asn: 65000 } },
  { name: 'route reflector client, max prefix', spec: { routeReflectorClient: true, maxPrefix: 100 }, expected: { rrClient: true, maxPrefix: 100 } },
  {
    name: 'communities, large communities, LOCAL_PREF and MED: one export statement',
    spec: { communities: ['65000:100'], largeCommunities: ['65000:1:2'], localPref: 200, med: 10 },
    expected: {
      exportPolicy: {
        statements: [
          { actions: { communities: { add: ['65000:100'] }, largeCommunities: { add: ['65000:1:2'] }, localPref: 200, med: 10 }, decision: 'accept' },
        ],
      },
    },
  },
  { name: 'no extension: no export policy', spec: { communities: [] }, expected: { exportPolicy: undefined } },
];

for (const row of peerRows) {
  test(`peer settings: ${row.name}`, () => {
    const peer = makeBgpPeer('tor', '192.0.2.254', 65000, row.spec);
    const result = peerSettings(peer, { secrets, localAs: 65001, ...(row.families !== undefined ? { families: row.families } : {}) });
    assert.ok(result.ok, result.ok ? '' : result.error);
    for (const [key, value] of Object.entries(row.expected)) assert.deepEqual(result.value[key as keyof SpeakerPeerConfig], value, key);
  });
}

const peerErrors: { name: string; spec: Partial<BgpPeerSpec>; error: RegExp }[] = [
  { name: 'a neighbour that is no address', spec: { conf: { peerAs: 65000, neighborAddress: 'tor-1' } }, error: /^conf\.neighborAddress: "tor-1"/ },
  {
    name: 'a missing Secret',
    spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', authPasswordSecretRef: { namespace: 'porter', name: 'gone', key: 'key' } } },
    error: /Secret porter\/gone not found/,
  },
  {
    name: 'a Secret without the key',
    spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', authPasswordSecretRef: { namespace: 'porter', name: 'md5', key: 'other' } } },
    error: /has no key other/,
  },
  {
    name: 'both a password and a Secret',
    spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', authPassword: 'x', authPasswordSecretRef: { namespace: 'porter', name: 'md5', key: 'key' } } },
    error: /both set/,
  },
  { name: 'AS 0', spec: { conf: { peerAs: 0, neighborAddress: '192.0.2.254' } }, error: /asn/ },
  { name: 'a hold time of 2 s', spec: { timers: { config: { holdTime: 2 } } }, error: /holdTime/ },
  { name: 'a hold time that is no number', spec: { timers: { config: { holdTime: '90s' } } }, error: /^timers\.config\.holdTime: "90s"/ },
  { name: 'a community that is not high:low', spec: { communities: ['65000'] }, error: /communities/ },
  { name: 'a local address of the other family', spec: { transport: { localAddress: '2001:db8::1' } }, error: /localAddress/ },
  { name: 'a local AS other than the node\'s', spec: { conf: { peerAs: 65000, neighborAddress: '192.0.2.254', localAs: 65009 } }, error: /^conf\.localAs: 65009 differs/ },
];

for (const row of peerErrors) {
  test(`peer settings refused: ${row.name}`, () => {
    const result = peerSettings(makeBgpPeer('tor', '192.0.2.254', 65000, row.spec), { secrets, localAs: 65001 });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, row.error);
  });
}

test('a peer selects nodes by its nodeSelector; none selects every node', () => {
  const tor = (spec: Partial<BgpPeerSpec>) => makeBgpPeer('tor', '192.0.2.254', 65000, spec);
  assert.equal(peerSelected(tor({}), node), true);
  assert.equal(peerSelected(tor({ nodeSelector: { matchLabels: { [RACK_LABEL]: 'r2' } } }), node), true);
  assert.equal(peerSelected(tor({ nodeSelector: { matchLabels: { [RACK_LABEL]: 'r1' } } }), node), false);
  assert.equal(peerSelected(tor({ nodeSelector: { matchExpressions: [{ key: RACK_LABEL, operator: 'In', values: ['r1', 'r2'] }] } }), node), true);
});
