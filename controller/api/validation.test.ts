import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Eip } from './types.ts';
import { eipOverlaps, validateBgpConf, validateBgpPeer, validateEip, type Validated } from './validation.ts';

const eip = {
  apiVersion: 'network.kubesphere.io/v1alpha2',
  kind: 'Eip',
  metadata: { name: 'pool' },
  spec: { address: '192.0.2.0/28', protocol: 'bgp', priority: 10, namespaces: ['default'], namespaceSelector: { team: 'a' } },
};

const conf = {
  apiVersion: 'network.kubesphere.io/v1alpha2',
  kind: 'BgpConf',
  metadata: { name: 'default' },
  spec: { as: 64512, routerId: '192.0.2.1', listenPort: 17900, asPerRack: { leaf1: 64513 }, families: [65537] },
};

const peer = {
  apiVersion: 'network.kubesphere.io/v1alpha2',
  kind: 'BgpPeer',
  metadata: { name: 'tor' },
  spec: {
    conf: { peerAs: 65000, neighborAddress: '198.51.100.1' },
    timers: { config: { holdTime: '90', keepaliveInterval: 30 } },
    afiSafis: [
      { config: { family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' }, enabled: true }, addPaths: { config: { sendMax: 10 } } },
      { config: { family: { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' }, enabled: true } },
    ],
    nodeSelector: { matchLabels: { 'openelb.kubesphere.io/rack': 'leaf1' } },
    communities: ['65000:100'],
    largeCommunities: ['65000:1:2'],
  },
};

/** A copy of `obj` with the field at `path` (`spec.afiSafis[1].config`) set, or removed when value is undefined. */
function withField(obj: object, path: string, value: unknown): object {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== '');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function fieldsOf(result: Validated<unknown>): string[] {
  return result.ok ? [] : result.problems.map((problem) => problem.field);
}

type Case = [field: string, value: unknown, problemAt: string | undefined];

function table(name: string, validate: (obj: unknown) => Validated<unknown>, base: object, cases: Case[]): void {
  describe(name, () => {
    it('accepts the base object', () => assert.deepEqual(fieldsOf(validate(base)), []));
    for (const [field, value, problemAt] of cases) {
      it(`${field} = ${JSON.stringify(value)}: ${problemAt === undefined ? 'valid' : `problem at ${problemAt}`}`, () => {
        assert.deepEqual(fieldsOf(validate(withField(base, field, value))), problemAt === undefined ? [] : [problemAt]);
      });
    }
  });
}

table('validateEip', validateEip, eip, [
  ['spec.address', '192.0.2.7', undefined],
  ['spec.address', '192.0.2.10-192.0.2.20', undefined],
  ['spec.address', '2001:db8::/120', undefined],
  ['spec.address', '2001:db8::1-2001:db8::ff', undefined],
  ['spec.address', undefined, 'spec.address'],
  ['spec.address', '', 'spec.address'],
  ['spec.address', '192.0.2.20-192.0.2.10', 'spec.address'],
  ['spec.address', '192.0.2.1-2001:db8::1', 'spec.address'],
  ['spec.address', '192.0.2.0/33', 'spec.address'],
  ['spec.address', ' 192.0.2.1', 'spec.address'],
  ['spec.address', 17, 'spec.address'],
  ['spec.protocol', 'layer2', undefined],
  ['spec.protocol', 'vip', undefined],
  ['spec.protocol', 'BGP', 'spec.protocol'],
  ['spec.disable', 'true', 'spec.disable'],
  ['spec.usingKnownIPs', true, undefined],
  ['spec.priority', -5, undefined],
  ['spec.priority', 1.5, 'spec.priority'],
  ['spec.namespaces', ['kube-system', 'a1'], undefined],
  ['spec.namespaces', ['Default'], 'spec.namespaces[0]'],
  ['spec.namespaces', 'default', 'spec.namespaces'],
  ['spec.namespaceSelector', { 'kubesphere.io/workspace': 'workspace' }, undefined],
  ['spec.namespaceSelector', { 'bad key!': 'x' }, 'spec.namespaceSelector[bad key!]'],
  ['spec.namespaceSelector', { team: 'not ok' }, 'spec.namespaceSelector[team]'],
  ['spec.namespaceSelector', { team: 3 }, 'spec.namespaceSelector[team]'],
  ['spec', undefined, 'spec'],
  ['metadata.name', undefined, 'metadata.name'],
  ['apiVersion', 'network.kubesphere.io/v1alpha1', 'apiVersion'],
  ['apiVersion', undefined, undefined],
  ['kind', 'BgpPeer', 'kind'],
]);

table('validateBgpConf', validateBgpConf, conf, [
  ['metadata.name', 'other', 'metadata.name'],
  ['spec.as', undefined, 'spec.as'],
  ['spec.as', 0, 'spec.as'],
  ['spec.as', 4294967295, undefined],
  ['spec.as', 4294967296, 'spec.as'],
  ['spec.as', '64512', 'spec.as'],
  ['spec.asPerRack', { leaf2: 0 }, 'spec.asPerRack[leaf2]'],
  ['spec.asPerRack', { 'rack/1': 65000 }, 'spec.asPerRack[rack/1]'],
  ['spec.routerId', '10.0.0.1', undefined],
  ['spec.routerId', '2001:db8::1', 'spec.routerId'],
  ['spec.routerId', 'node-1', 'spec.routerId'],
  ['spec.listenPort', -1, undefined],
  ['spec.listenPort', 0, undefined],
  ['spec.listenPort', 65535, undefined],
  ['spec.listenPort', 65536, 'spec.listenPort'],
  ['spec.listenPort', -2, 'spec.listenPort'],
  ['spec.listenAddresses', ['0.0.0.0', '::'], undefined],
  ['spec.listenAddresses', ['0.0.0.0', 'any'], 'spec.listenAddresses[1]'],
  ['spec.listenAddresses', ['fe80::1%eth0'], 'spec.listenAddresses[0]'],
  ['spec.families', [65537, 131073], undefined],
  ['spec.families', [65537, 65538], 'spec.families[1]'],
  ['spec.useMultiplePaths', true, undefined],
  ['spec.gracefulRestart', { enabled: true, restartTime: 120, longlivedEnabled: true, staleRoutesTime: 3600 }, undefined],
  ['spec.gracefulRestart.staleRoutesTime', 0, 'spec.gracefulRestart.staleRoutesTime'],
  ['spec.gracefulRestart.restartTime', 4096, 'spec.gracefulRestart.restartTime'],
  ['spec.gracefulRestart.enabled', 'yes', 'spec.gracefulRestart.enabled'],
  ['spec.policy', 'my-policy', undefined],
]);

table('validateBgpPeer', validateBgpPeer, peer, [
  ['spec.conf', undefined, 'spec.conf'],
  ['spec.conf.peerAs', undefined, 'spec.conf.peerAs'],
  ['spec.conf.peerAs', 0, 'spec.conf.peerAs'],
  ['spec.conf.peerAs', 4200000000, undefined],
  ['spec.conf.neighborAddress', '2001:db8::2', undefined],
  ['spec.conf.neighborAddress', 'router.example', 'spec.conf.neighborAddress'],
  ['spec.conf.neighborAddress', '198.51.100.0/24', 'spec.conf.neighborAddress'],
  ['spec.conf.localAs', 65001, undefined],
  ['spec.conf.authPassword', 'secret', undefined],
  ['spec.conf.authPassword', 'x'.repeat(81), 'spec.conf.authPassword'],
  ['spec.conf.authPasswordSecretRef', { namespace: 'porter', name: 'peers', key: 'tor' }, undefined],
  ['spec.conf.authPasswordSecretRef', { namespace: 'porter', name: 'peers' }, 'spec.conf.authPasswordSecretRef.key'],
  ['spec.conf.removePrivateAs', 'ALL', undefined],
  ['spec.conf.allowOwnAs', 256, 'spec.conf.allowOwnAs'],
  ['spec.conf.adminDown', 1, 'spec.conf.adminDown'],
  ['spec.ebgpMultihop', { enabled: true, multihopTtl: 2 }, undefined],
  ['spec.ebgpMultihop.multihopTtl', 0, 'spec.ebgpMultihop.multihopTtl'],
  ['spec.ebgpMultihop.multihopTtl', 256, 'spec.ebgpMultihop.multihopTtl'],
  ['spec.timers.config.holdTime', 0, undefined],
  ['spec.timers.config.holdTime', '0', undefined],
  ['spec.timers.config.holdTime', 3, undefined],
  ['spec.timers.config.holdTime', '2', 'spec.timers.config.holdTime'],
  ['spec.timers.config.holdTime', 1, 'spec.timers.config.holdTime'],
  ['spec.timers.config.holdTime', 65536, 'spec.timers.config.holdTime'],
  ['spec.timers.config.holdTime', '90s', 'spec.timers.config.holdTime'],
  ['spec.timers.config.holdTime', -3, 'spec.timers.config.holdTime'],
  ['spec.timers.config.connectRetry', '5', undefined],
  ['spec.timers.config.minimumAdvertisementInterval', true, 'spec.timers.config.minimumAdvertisementInterval'],
  ['spec.transport', { passiveMode: true, remotePort: 1790, mtuDiscovery: true, tcpMss: 1400 }, undefined],
  ['spec.transport.remotePort', 0, 'spec.transport.remotePort'],
  ['spec.transport.remotePort', 65536, 'spec.transport.remotePort'],
  ['spec.transport.localAddress', '198.51.100.2', undefined],
  ['spec.transport.localAddress', '2001:db8::2', 'spec.transport.localAddress'],
  ['spec.transport.remoteAddress', 'x', 'spec.transport.remoteAddress'],
  ['spec.gracefulRestart', { enabled: true, restartTime: 120 }, undefined],
  ['spec.afiSafis[1].config.family.afi', 'AFI_L2VPN', 'spec.afiSafis[1].config.family.afi'],
  ['spec.afiSafis[1].config.family.safi', 'SAFI_MULTICAST', 'spec.afiSafis[1].config.family.safi'],
  ['spec.afiSafis[1].config.family', undefined, 'spec.afiSafis[1].config.family'],
  ['spec.afiSafis[1].config', undefined, 'spec.afiSafis[1].config'],
  ['spec.afiSafis[1].config.family.afi', 'AFI_IP', 'spec.afiSafis[1].config.family'],
  ['spec.afiSafis[0].addPaths.config.sendMax', 255, undefined],
  ['spec.afiSafis[0].addPaths.config.sendMax', 256, 'spec.afiSafis[0].addPaths.config.sendMax'],
  ['spec.afiSafis[0].addPaths.config.receive', true, undefined],
  ['spec.afiSafis[0].mpGracefulRestart', { config: { enabled: true } }, undefined],
  ['spec.afiSafis', {}, 'spec.afiSafis'],
  ['spec.nodeSelector', {}, undefined],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'In', values: ['a', 'b'] }], undefined],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'Exists' }], undefined],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'In', values: [] }], 'spec.nodeSelector.matchExpressions[0].values'],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'NotIn' }], 'spec.nodeSelector.matchExpressions[0].values'],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'DoesNotExist', values: ['a'] }], 'spec.nodeSelector.matchExpressions[0].values'],
  ['spec.nodeSelector.matchExpressions', [{ key: 'rack', operator: 'Gt', values: ['1'] }], 'spec.nodeSelector.matchExpressions[0].operator'],
  ['spec.nodeSelector.matchExpressions', [{ key: '-rack', operator: 'Exists' }], 'spec.nodeSelector.matchExpressions[0].key'],
  ['spec.nodeSelector.matchExpressions', [{ operator: 'Exists' }], 'spec.nodeSelector.matchExpressions[0].key'],
  ['spec.nodeSelector.matchLabels', { rack: 'a b' }, 'spec.nodeSelector.matchLabels[rack]'],
  ['spec.communities', ['0:0', '65535:65535'], undefined],
  ['spec.communities', ['65536:1'], 'spec.communities[0]'],
  ['spec.communities', ['65000:100', '65000'], 'spec.communities[1]'],
  ['spec.communities', ['no-export'], 'spec.communities[0]'],
  ['spec.largeCommunities', ['4294967295:0:4294967295'], undefined],
  ['spec.largeCommunities', ['4294967296:0:0'], 'spec.largeCommunities[0]'],
  ['spec.largeCommunities', ['1:2'], 'spec.largeCommunities[0]'],
  ['spec.localPref', 4294967295, undefined],
  ['spec.localPref', -1, 'spec.localPref'],
  ['spec.med', 4294967296, 'spec.med'],
  ['spec.maxPrefix', 1, undefined],
  ['spec.maxPrefix', 0, 'spec.maxPrefix'],
  ['spec.routeReflectorClient', true, undefined],
]);

describe('validation results', () => {
  it('returns the object itself, typed, when it is valid', () => {
    const result = validateBgpPeer(peer);
    assert.ok(result.ok);
    assert.equal(result.value, peer);
  });

  it('lists every problem, with a message', () => {
    const result = validateBgpPeer(withField(withField(peer, 'spec.conf.peerAs', 0), 'spec.med', 'x'));
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((problem) => problem.field), ['spec.conf.peerAs', 'spec.med']);
    assert.match(result.problems[0].message, /from 1 to 4294967295/);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, 'Eip', [], undefined]) assert.equal(validateEip(value).ok, false);
  });
});

function pool(name: string, address: string): Eip {
  return { apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'Eip', metadata: { name }, spec: { address } };
}

describe('eipOverlaps', () => {
  const cases: [string, Eip[], Record<string, string[]>][] = [
    ['no pools', [], {}],
    ['disjoint pools', [pool('a', '192.0.2.0/25'), pool('b', '192.0.2.128/25')], {}],
    ['a range inside a CIDR', [pool('a', '192.0.2.0/24'), pool('b', '192.0.2.10-192.0.2.20')], { a: ['b'], b: ['a'] }],
    ['touching at one address', [pool('a', '192.0.2.0-192.0.2.10'), pool('b', '192.0.2.10')], { a: ['b'], b: ['a'] }],
    ['the same numbers in two families', [pool('a', '0.0.0.1'), pool('b', '::1')], {}],
    ['IPv6', [pool('a', '2001:db8::/64'), pool('b', '2001:db8::5')], { a: ['b'], b: ['a'] }],
    [
      'a wide pool over two narrow ones that do not overlap each other',
      [pool('wide', '192.0.2.0/24'), pool('low', '192.0.2.1'), pool('high', '192.0.2.200'), pool('apart', '198.51.100.0/24')],
      { high: ['wide'], low: ['wide'], wide: ['high', 'low'] },
    ],
    ['an unparsable pool is left out', [pool('a', '192.0.2.0/24'), pool('bad', 'nonsense')], {}],
  ];
  for (const [name, eips, expected] of cases) {
    it(name, () => assert.deepEqual(Object.fromEntries(eipOverlaps(eips)), expected));
  }

  it('matches pairwise comparison on many pools', () => {
    const eips = Array.from({ length: 300 }, (_, i) => {
      const first = (i * 7919) % 1000;
      return pool(`p${i}`, `10.0.${Math.floor(first / 256)}.${first % 256}-10.0.${Math.floor((first + (i % 13)) / 256)}.${(first + (i % 13)) % 256}`);
    });
    const expected = new Map<string, string[]>();
    const span = (eip: Eip): [number, number] => {
      const toNumber = (ip: string): number => ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
      const [a, b] = eip.spec.address.split('-');
      return [toNumber(a), toNumber(b)];
    };
    for (const a of eips) {
      const others = eips.filter((b) => b !== a && span(a)[0] <= span(b)[1] && span(b)[0] <= span(a)[1]).map((b) => b.metadata.name!);
      if (others.length > 0) expected.set(a.metadata.name!, others.sort());
    }
    assert.deepEqual(Object.fromEntries(eipOverlaps(eips)), Object.fromEntries([...expected].sort(([a], [b]) => a.localeCompare(b))));
  });
});
