import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Eip } from '../api/types.ts';
import { Ipam } from './ipam.ts';
import { eip, request } from './ipam-fixtures.ts';
import type { ServiceRequest } from './service-request.ts';
import type { AllocationFailureReason } from './types.ts';

interface SelectionCase {
  name: string;
  eips: Eip[];
  labels?: Record<string, Record<string, string>>;
  /** Services allocated first, in order. */
  before?: ServiceRequest[];
  request: ServiceRequest;
  /** `ip@pool`, or the failure reason. */
  expected: string | AllocationFailureReason;
}

const shop = (fields: Partial<ServiceRequest> = {}) => request('shop/web', fields);
const fill = (count: number, fields: Partial<ServiceRequest> = {}) =>
  Array.from({ length: count }, (_, index) => request(`other/s${index}`, fields));

const cases: SelectionCase[] = [
  // A named Eip (annotation eip.openelb.kubesphere.io/v1alpha2).
  { name: 'named Eip, over the namespace and default Eips', eips: [eip('named', '198.51.100.0/24'), eip('bound', '192.0.2.0/24', { namespaces: ['shop'] }), eip('def', '203.0.113.0/24', { isDefault: true })], request: shop({ pools: ['named'] }), expected: '198.51.100.0@named' },
  { name: 'named Eip missing', eips: [eip('def', '203.0.113.0/24', { isDefault: true })], request: shop({ pools: ['gone'] }), expected: 'NoPool' },
  { name: 'named Eip disabled', eips: [eip('named', '198.51.100.0/24', { disable: true }), eip('def', '203.0.113.0/24', { isDefault: true })], request: shop({ pools: ['named'] }), expected: 'PoolNotReady' },
  { name: 'named Eip invalid', eips: [eip('named', 'nowhere')], request: shop({ pools: ['named'] }), expected: 'PoolNotReady' },
  { name: 'named Eip overlapping an older one', eips: [eip('old', '198.51.100.0/24'), eip('named', '198.51.100.0/25', { created: '2025-01-01T00:00:00Z' })], request: shop({ pools: ['named'] }), expected: 'PoolNotReady' },
  { name: 'named Eip unsupported', eips: [eip('named', '198.51.100.0/24', { protocol: 'layer2' })], request: shop({ pools: ['named'] }), expected: 'PoolNotReady' },
  { name: 'named Eip of the other family', eips: [eip('named', '2001:db8::/64')], request: shop({ pools: ['named'] }), expected: 'NoPool' },
  { name: 'named Eip ignores namespace binding', eips: [eip('named', '198.51.100.0/24', { namespaces: ['elsewhere'] })], request: shop({ pools: ['named'] }), expected: '198.51.100.0@named' },
  { name: 'named Eip with the requested address', eips: [eip('named', '198.51.100.0/24')], request: shop({ pools: ['named'], requested: ['198.51.100.77'] }), expected: '198.51.100.77@named' },
  { name: 'named Eip without the requested address', eips: [eip('named', '198.51.100.0/24'), eip('other', '192.0.2.0/24')], request: shop({ pools: ['named'], requested: ['192.0.2.1'] }), expected: 'RequestedUnavailable' },
  { name: 'named Eips tried in annotation order', eips: [eip('a', '192.0.2.0/31'), eip('b', '198.51.100.0/24')], before: fill(2, { pools: ['a'] }), request: shop({ pools: ['a', 'b'] }), expected: '198.51.100.0@b' },
  { name: 'named Eip full', eips: [eip('named', '192.0.2.0/31'), eip('def', '203.0.113.0/24', { isDefault: true })], before: fill(2, { pools: ['named'] }), request: shop({ pools: ['named'] }), expected: 'PoolExhausted' },
  // A requested address (annotation eip.openelb.kubesphere.io/v1alpha1 or spec.loadBalancerIP).
  { name: 'requested address: the Eip containing it', eips: [eip('a', '192.0.2.0/24'), eip('b', '198.51.100.0/24'), eip('def', '203.0.113.0/24', { isDefault: true })], request: shop({ requested: ['198.51.100.9'] }), expected: '198.51.100.9@b' },
  { name: 'requested address ignores namespace binding', eips: [eip('a', '192.0.2.0/24', { namespaces: ['elsewhere'] })], request: shop({ requested: ['192.0.2.9'] }), expected: '192.0.2.9@a' },
  { name: 'requested address in no Eip', eips: [eip('def', '203.0.113.0/24', { isDefault: true })], request: shop({ requested: ['192.0.2.9'] }), expected: 'NoPool' },
  { name: 'requested address in a disabled Eip', eips: [eip('a', '192.0.2.0/24', { disable: true })], request: shop({ requested: ['192.0.2.9'] }), expected: 'PoolNotReady' },
  { name: 'requested address in an overlapping Eip', eips: [eip('a', '192.0.2.0/25'), eip('b', '192.0.2.0/24', { created: '2025-01-01T00:00:00Z' })], request: shop({ requested: ['192.0.2.200'] }), expected: 'PoolNotReady' },
  { name: 'requested address in the older of two overlapping Eips', eips: [eip('a', '192.0.2.0/25'), eip('b', '192.0.2.0/24', { created: '2025-01-01T00:00:00Z' })], request: shop({ requested: ['192.0.2.9'] }), expected: '192.0.2.9@a' },
  { name: 'requested address taken', eips: [eip('a', '192.0.2.0/24')], before: [request('other/x', { requested: ['192.0.2.9'] })], request: shop({ requested: ['192.0.2.9'] }), expected: 'RequestedUnavailable' },
  // Automatic: Eips bound to the namespace, then the default Eip.
  { name: 'bound by namespaces, over the default', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('bound', '192.0.2.0/24', { namespaces: ['shop'] })], request: shop(), expected: '192.0.2.0@bound' },
  { name: 'bound by namespaceSelector, over the default', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('sel', '192.0.2.0/24', { namespaceSelector: { team: 'a', tier: 'web' } })], labels: { shop: { team: 'a', tier: 'web', other: 'x' } }, request: shop(), expected: '192.0.2.0@sel' },
  { name: 'namespaceSelector with a label missing', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('sel', '192.0.2.0/24', { namespaceSelector: { team: 'a', tier: 'web' } })], labels: { shop: { team: 'a' } }, request: shop(), expected: '203.0.113.0@def' },
  { name: 'namespaceSelector with a label differing', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('sel', '192.0.2.0/24', { namespaceSelector: { team: 'a' } })], labels: { shop: { team: 'b' } }, request: shop(), expected: '203.0.113.0@def' },
  { name: 'namespaceSelector, labels unknown', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('sel', '192.0.2.0/24', { namespaceSelector: { team: 'a' } })], request: shop(), expected: '203.0.113.0@def' },
  { name: 'empty namespaceSelector matches known labels', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('sel', '192.0.2.0/24', { namespaceSelector: {} })], labels: { shop: {} }, request: shop(), expected: '192.0.2.0@sel' },
  { name: 'another namespace listed', eips: [eip('def', '203.0.113.0/24', { isDefault: true }), eip('bound', '192.0.2.0/24', { namespaces: ['elsewhere'] })], request: shop(), expected: '203.0.113.0@def' },
  { name: 'lower priority value first (OpenELB)', eips: [eip('p20', '192.0.2.0/24', { namespaces: ['shop'], priority: 20 }), eip('p10', '198.51.100.0/24', { namespaces: ['shop'], priority: 10 })], request: shop(), expected: '198.51.100.0@p10' },
  { name: 'negative priority before absent (0)', eips: [eip('a', '192.0.2.0/24', { namespaces: ['shop'] }), eip('b', '198.51.100.0/24', { namespaces: ['shop'], priority: -1 })], request: shop(), expected: '198.51.100.0@b' },
  { name: 'equal priority: by name', eips: [eip('zeta', '192.0.2.0/24', { namespaces: ['shop'], priority: 5 }), eip('alpha', '198.51.100.0/24', { namespaces: ['shop'], priority: 5 })], request: shop(), expected: '198.51.100.0@alpha' },
  { name: 'priority across namespaces and selector', eips: [eip('byName', '192.0.2.0/24', { namespaces: ['shop'], priority: 3 }), eip('bySelector', '198.51.100.0/24', { namespaceSelector: { team: 'a' }, priority: 1 })], labels: { shop: { team: 'a' } }, request: shop(), expected: '198.51.100.0@bySelector' },
  { name: 'a full bound Eip yields to the next', eips: [eip('first', '192.0.2.0/31', { namespaces: ['shop', 'other'], priority: 1 }), eip('second', '198.51.100.0/24', { namespaces: ['shop'], priority: 2 })], before: fill(2), request: shop(), expected: '198.51.100.0@second' },
  { name: 'all bound Eips full: no fallback to the default (OpenELB)', eips: [eip('bound', '192.0.2.0/31', { namespaces: ['shop', 'other'] }), eip('def', '203.0.113.0/24', { isDefault: true })], before: fill(2), request: shop(), expected: 'PoolExhausted' },
  { name: 'a disabled bound Eip is skipped for the default', eips: [eip('bound', '192.0.2.0/24', { namespaces: ['shop'], disable: true }), eip('def', '203.0.113.0/24', { isDefault: true })], request: shop(), expected: '203.0.113.0@def' },
  { name: 'only a disabled bound Eip', eips: [eip('bound', '192.0.2.0/24', { namespaces: ['shop'], disable: true })], request: shop(), expected: 'PoolNotReady' },
  { name: 'default Eip', eips: [eip('plain', '192.0.2.0/24'), eip('def', '203.0.113.0/24', { isDefault: true })], request: shop(), expected: '203.0.113.0@def' },
  { name: 'default Eip bound elsewhere still serves as default', eips: [eip('def', '203.0.113.0/24', { isDefault: true, namespaces: ['elsewhere'] })], request: shop(), expected: '203.0.113.0@def' },
  { name: 'two defaults: priority, then name', eips: [eip('d2', '203.0.113.0/24', { isDefault: true }), eip('d1', '198.51.100.0/24', { isDefault: true }), eip('d0', '192.0.2.0/24', { isDefault: true, priority: 9 })], request: shop(), expected: '198.51.100.0@d1' },
  { name: 'default Eip disabled', eips: [eip('def', '203.0.113.0/24', { isDefault: true, disable: true })], request: shop(), expected: 'PoolNotReady' },
  { name: 'default Eip full', eips: [eip('def', '203.0.113.0/31', { isDefault: true })], before: fill(2), request: shop(), expected: 'PoolExhausted' },
  { name: 'default Eip of the other family', eips: [eip('def', '2001:db8::/64', { isDefault: true })], request: shop(), expected: 'NoPool' },
  { name: 'an Eip neither bound nor default is never chosen', eips: [eip('plain', '192.0.2.0/24')], request: shop(), expected: 'NoPool' },
  { name: 'no Eips', eips: [], request: shop(), expected: 'NoPool' },
  { name: 'lowest free address', eips: [eip('def', '192.0.2.10-192.0.2.20', { isDefault: true })], before: [request('other/a'), request('other/b'), request('other/c', { requested: ['192.0.2.13'] })], request: shop(), expected: '192.0.2.12@def' },
];

test('chooses the Eip and address as OpenELB does', () => {
  for (const item of cases) {
    const ipam = new Ipam();
    ipam.setPools(item.eips);
    for (const [namespace, labels] of Object.entries(item.labels ?? {})) ipam.setNamespaceLabels(namespace, labels);
    for (const earlier of item.before ?? []) assert.ok(ipam.allocate(earlier).ok, `${item.name}: before ${earlier.key}`);
    const result = ipam.allocate(item.request);
    const actual = result.ok ? result.value.addresses.map(({ ip, pool }) => `${ip}@${pool}`).join(',') : result.error.reason;
    assert.equal(actual, item.expected, `${item.name}${result.ok ? '' : `: ${result.error.message}`}`);
    if (!result.ok) assert.equal(ipam.allocationOf(item.request.key), undefined, `${item.name}: holds nothing`);
  }
});

test('failures name the Eips and what is wrong', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('bound', '192.0.2.0/24', { namespaces: ['shop'], disable: true }), eip('gone6', '2001:db8::/64', { protocol: 'vip' })]);
  const cases: [ServiceRequest, RegExp][] = [
    [shop(), /Eip bound, which is disabled/],
    [shop({ families: [6] }), /no IPv6 Eip serves namespace shop.*is-default-eip/],
    [shop({ pools: ['missing'] }), /Eip missing does not exist/],
    [shop({ requested: ['192.0.2.1'] }), /192\.0\.2\.1 lies in Eip bound, which is disabled/],
    [shop({ requested: ['198.51.100.1'] }), /no Eip contains 198\.51\.100\.1/],
  ];
  for (const [subject, message] of cases) {
    const result = ipam.allocate(subject);
    assert.ok(!result.ok);
    assert.match(result.error.message, message);
  }
});

test('refuses malformed requests as InvalidRequest', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true })]);
  const cases: Partial<ServiceRequest>[] = [
    { families: [] },
    { families: [4, 4] },
    { families: [5 as 4] },
    { requested: ['2001:db8::1'] },
    { requested: ['192.0.2.01'] },
    { families: [4, 6], familyPolicy: 'RequireDualStack', requested: ['192.0.2.1', '192.0.2.2'] },
  ];
  for (const fields of cases) {
    const result = ipam.allocate(shop(fields));
    assert.equal(result.ok ? 'ok' : result.error.reason, 'InvalidRequest', JSON.stringify(fields));
  }
});
