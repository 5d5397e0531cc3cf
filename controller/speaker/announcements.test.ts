/** The routes a node announces: which, with which next hop, and with what link bandwidth. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { RouteConfig } from '../../engine/speaker/config.ts';
import { tsCodec } from '../../engine/wire/ts-codec.ts';
import { objectKey } from '../runtime/types.ts';
import { AS_TRANS, BYTES_PER_SECOND_PER_ENDPOINT, desiredRoutes, linkBandwidth, type DesiredRoutesInput } from './announcements.ts';
import type { NodeAddresses } from './node-address.ts';
import { makeNode, makeService, makeSlice } from './testing.ts';
import { VipTable } from './vip-table.ts';

const DUAL: NodeAddresses = { ipv4: '192.0.2.1', ipv6: '2001:db8::1' };
const bandwidth = (endpoints: number, asn = 65001) => [linkBandwidth(endpoints, asn)];

function routes(services: V1Service[], slices: V1EndpointSlice[] = [], extra: Partial<DesiredRoutesInput> = {}): RouteConfig[] {
  const slicesByService = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const key = `${slice.metadata!.namespace}/${slice.metadata!.labels!['kubernetes.io/service-name']}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
  }
  const table = desiredRoutes({
    node: makeNode('n1'),
    addresses: DUAL,
    services,
    slicesByService,
    owns: () => true,
    asn: 65001,
    ...extra,
  });
  return [...table.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
}

const rows: { name: string; services: V1Service[]; slices?: V1EndpointSlice[]; extra?: Partial<DesiredRoutesInput>; expected: RouteConfig[] }[] = [
  {
    name: 'a Cluster Service: a /32 via the node, no attributes',
    services: [makeService('a/web', { ips: ['198.51.100.1'] })],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1' }],
  },
  {
    name: 'an IPv6 address: a /128 via the node\'s IPv6 address, canonical',
    services: [makeService('a/web', { ips: ['2001:DB8:1:0::5'] })],
    expected: [{ prefix: '2001:db8:1::5/128', nextHop: '2001:db8::1' }],
  },
  {
    name: 'dual stack ingress: one route per family',
    services: [makeService('a/web', { ips: ['198.51.100.1', '2001:db8:1::5'] })],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1' }, { prefix: '2001:db8:1::5/128', nextHop: '2001:db8::1' }],
  },
  {
    name: 'no address of the family on the node: the route is left out',
    services: [makeService('a/web', { ips: ['198.51.100.1', '2001:db8:1::5'] })],
    extra: { addresses: { ipv4: '192.0.2.1' } },
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1' }],
  },
  { name: 'no ingress yet: nothing', services: [makeService('a/web')], expected: [] },
  {
    name: 'a Service Porter does not own: nothing',
    services: [makeService('a/web', { ips: ['198.51.100.1'] })],
    extra: { owns: () => false },
    expected: [],
  },
  {
    name: 'node not Ready: nothing',
    services: [makeService('a/web', { ips: ['198.51.100.1'] })],
    extra: { node: makeNode('n1', { ready: false }) },
    expected: [],
  },
  {
    name: 'Local with two ready endpoints here: link bandwidth of two',
    services: [makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' })],
    slices: [makeSlice('a/web', 'web-1', [{ node: 'n1', pod: 'p1' }, { node: 'n1', pod: 'p2' }, { node: 'n2', pod: 'p3' }])],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1', attributes: bandwidth(2) }],
  },
  {
    name: 'Local without endpoints here: nothing',
    services: [makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' })],
    slices: [makeSlice('a/web', 'web-1', [{ node: 'n2', pod: 'p3' }])],
    expected: [],
  },
  {
    name: 'a shared address: one route, announced while one of its Services is eligible',
    services: [
      makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' }),
      makeService('a/api', { ips: ['198.51.100.1'], policy: 'Local' }),
    ],
    slices: [makeSlice('a/api', 'api-1', [{ node: 'n1', pod: 'p1' }])],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1', attributes: bandwidth(1) }],
  },
  {
    name: 'a shared address of two Local Services: their endpoints add up',
    services: [
      makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' }),
      makeService('a/api', { ips: ['198.51.100.1'], policy: 'Local' }),
    ],
    slices: [makeSlice('a/api', 'api-1', [{ node: 'n1', pod: 'p1' }]), makeSlice('a/web', 'web-1', [{ node: 'n1', pod: 'p2' }, { node: 'n1', pod: 'p3' }])],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1', attributes: bandwidth(3) }],
  },
  {
    name: 'a shared address with a Cluster Service among them: no weight',
    services: [makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' }), makeService('a/api', { ips: ['198.51.100.1'] })],
    slices: [makeSlice('a/web', 'web-1', [{ node: 'n1', pod: 'p2' }])],
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1' }],
  },
  {
    name: 'a 4-octet AS writes AS_TRANS in the community',
    services: [makeService('a/web', { ips: ['198.51.100.1'], policy: 'Local' })],
    slices: [makeSlice('a/web', 'web-1', [{ node: 'n1', pod: 'p1' }])],
    extra: { asn: 4_200_000_000 },
    expected: [{ prefix: '198.51.100.1/32', nextHop: '192.0.2.1', attributes: bandwidth(1, AS_TRANS) }],
  },
];

for (const row of rows) {
  test(`desired routes: ${row.name}`, () => {
    assert.deepEqual(routes(row.services, row.slices, row.extra), row.expected);
  });
}

test('the link bandwidth community encodes, and its float32 keeps the endpoint ratio', () => {
  for (const endpoints of [1, 2, 3, 7, 100, 1000]) {
    const attributes = [linkBandwidth(endpoints, 65001)];
    const bytes = tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes, nlri: [] });
    const decoded = tsCodec.decodeMessage(bytes);
    const message = decoded.message;
    assert.ok(message?.type === 'update');
    const [community] = (message.attributes[0] as { values: { bandwidth: number }[] }).values;
    const ratio = community.bandwidth / BYTES_PER_SECOND_PER_ENDPOINT;
    assert.ok(Math.abs(ratio - endpoints) / endpoints < 1e-6, `${endpoints} endpoints read back as ${ratio}`);
  }
});

test('the VIP table reports only the addresses whose contributions changed', () => {
  const table = new VipTable();
  const web = objectKey({ namespace: 'a', name: 'web' });
  const api = objectKey({ namespace: 'a', name: 'api' });
  const of = (service: string, endpoints: number, ...addresses: string[]) =>
    new Map(addresses.map((address) => [address, { service, local: true, endpoints }]));
  assert.deepEqual(table.setService(web, of(web, 1, '198.51.100.1', '198.51.100.2')), ['198.51.100.1', '198.51.100.2']);
  assert.deepEqual(table.setService(web, of(web, 1, '198.51.100.1', '198.51.100.2')), [], 'the same again changes nothing');
  assert.deepEqual(table.setService(api, of(api, 2, '198.51.100.1')), ['198.51.100.1']);
  assert.deepEqual(table.contributions('198.51.100.1').map(({ service }) => service), [web, api]);
  assert.deepEqual(table.setService(web, of(web, 3, '198.51.100.1')), ['198.51.100.1', '198.51.100.2']);
  assert.deepEqual(table.addresses().sort(), ['198.51.100.1']);
  assert.deepEqual(table.setService(web, new Map()), ['198.51.100.1']);
  assert.deepEqual(table.contributions('198.51.100.1').map(({ service }) => service), [api]);
  assert.deepEqual(table.services(), [api]);
  assert.deepEqual(table.setService(api, new Map()), ['198.51.100.1']);
  assert.deepEqual(table.addresses(), []);
});
