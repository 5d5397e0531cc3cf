import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Eip } from '../api/types.ts';
import { Ipam } from './ipam.ts';
import { eip, request } from './ipam-fixtures.ts';
import type { ServiceRequest } from './service-request.ts';

const v4 = eip('v4', '192.0.2.0/24', { isDefault: true });
const v6 = eip('v6', '2001:db8::/64', { isDefault: true });
const v4Full = eip('v4', '192.0.2.0/32', { isDefault: true });

interface DualStackCase {
  name: string;
  eips: Eip[];
  before?: ServiceRequest[];
  request: Partial<ServiceRequest>;
  /** Addresses granted, or the failure reason. */
  expected: string[] | string;
  skipped?: string[];
}

const dual = (policy: ServiceRequest['familyPolicy'], families: ServiceRequest['families'] = [4, 6]) => ({ familyPolicy: policy, families });

const cases: DualStackCase[] = [
  { name: 'SingleStack IPv4', eips: [v4, v6], request: dual('SingleStack', [4]), expected: ['192.0.2.0'] },
  { name: 'SingleStack IPv6', eips: [v4, v6], request: dual('SingleStack', [6]), expected: ['2001:db8::'] },
  { name: 'SingleStack IPv6 without an IPv6 Eip', eips: [v4], request: dual('SingleStack', [6]), expected: 'NoPool' },
  { name: 'RequireDualStack', eips: [v4, v6], request: dual('RequireDualStack'), expected: ['192.0.2.0', '2001:db8::'] },
  { name: 'RequireDualStack, IPv6 primary', eips: [v4, v6], request: dual('RequireDualStack', [6, 4]), expected: ['2001:db8::', '192.0.2.0'] },
  { name: 'RequireDualStack without IPv6', eips: [v4], request: dual('RequireDualStack'), expected: 'NoPool' },
  { name: 'RequireDualStack with IPv4 exhausted', eips: [v4Full, v6], before: [request('o/x')], request: dual('RequireDualStack'), expected: 'PoolExhausted' },
  { name: 'PreferDualStack', eips: [v4, v6], request: dual('PreferDualStack'), expected: ['192.0.2.0', '2001:db8::'] },
  { name: 'PreferDualStack without IPv6', eips: [v4], request: dual('PreferDualStack'), expected: ['192.0.2.0'], skipped: ['6:NoPool'] },
  { name: 'PreferDualStack without IPv4', eips: [v6], request: dual('PreferDualStack'), expected: ['2001:db8::'], skipped: ['4:NoPool'] },
  { name: 'PreferDualStack with IPv4 exhausted', eips: [v4Full, v6], before: [request('o/x')], request: dual('PreferDualStack'), expected: ['2001:db8::'], skipped: ['4:PoolExhausted'] },
  { name: 'PreferDualStack without any Eip', eips: [], request: dual('PreferDualStack'), expected: 'NoPool' },
  { name: 'requested addresses, one per family', eips: [v4, v6], request: { ...dual('RequireDualStack'), requested: ['192.0.2.5', '2001:db8::5'] }, expected: ['192.0.2.5', '2001:db8::5'] },
  { name: 'one requested, the other automatic', eips: [v4, v6], request: { ...dual('RequireDualStack'), requested: ['2001:db8::5'] }, expected: ['192.0.2.0', '2001:db8::5'] },
  { name: 'named Eips, one per family', eips: [eip('a4', '198.51.100.0/24'), eip('a6', '2001:db8:1::/64'), v4, v6], request: { ...dual('RequireDualStack'), pools: ['a6', 'a4'] }, expected: ['198.51.100.0', '2001:db8:1::'] },
  { name: 'a named IPv4 Eip alone, RequireDualStack', eips: [eip('a4', '198.51.100.0/24'), v6], request: { ...dual('RequireDualStack'), pools: ['a4'] }, expected: 'NoPool' },
  { name: 'a named IPv4 Eip alone, PreferDualStack', eips: [eip('a4', '198.51.100.0/24'), v6], request: { ...dual('PreferDualStack'), pools: ['a4'] }, expected: ['198.51.100.0'], skipped: ['6:NoPool'] },
  { name: 'each family from its own namespace-bound Eip', eips: [eip('b4', '198.51.100.0/24', { namespaces: ['shop'] }), v6], request: dual('RequireDualStack'), expected: ['198.51.100.0', '2001:db8::'] },
];

test('gives one address per family under each ipFamilyPolicy', () => {
  for (const item of cases) {
    const ipam = new Ipam();
    ipam.setPools(item.eips);
    for (const earlier of item.before ?? []) assert.ok(ipam.allocate(earlier).ok, item.name);
    const result = ipam.allocate(request('shop/web', item.request));
    if (typeof item.expected === 'string') {
      assert.equal(result.ok ? 'ok' : result.error.reason, item.expected, item.name);
      assert.equal(ipam.allocationOf('shop/web'), undefined, `${item.name}: nothing held`);
      continue;
    }
    assert.ok(result.ok, `${item.name}: ${result.ok ? '' : result.error.message}`);
    assert.deepEqual(result.value.addresses.map(({ ip }) => ip), item.expected, item.name);
    assert.deepEqual(result.value.skipped.map(({ family, reason }) => `${family}:${reason}`), item.skipped ?? [], item.name);
  }
});

test('a PreferDualStack Service gains its second family when an Eip for it appears, keeping the first', () => {
  const ipam = new Ipam();
  ipam.setPools([v4]);
  const first = ipam.allocate(request('shop/web', dual('PreferDualStack')));
  assert.ok(first.ok);
  assert.deepEqual(first.value.addresses, [{ ip: '192.0.2.0', pool: 'v4' }]);
  ipam.setPools([v4, v6]);
  const second = ipam.allocate(request('shop/web', dual('PreferDualStack')));
  assert.ok(second.ok);
  assert.deepEqual(second.value.addresses, [{ ip: '192.0.2.0', pool: 'v4' }, { ip: '2001:db8::', pool: 'v6' }]);
  assert.equal(second.value.changed, true);
});

test('a failed RequireDualStack allocation leaves the earlier addresses alone', () => {
  const ipam = new Ipam();
  ipam.setPools([v4, v6]);
  assert.ok(ipam.allocate(request('shop/web', dual('SingleStack', [4]))).ok);
  const result = ipam.allocate(request('shop/web', { ...dual('RequireDualStack'), requested: ['2001:db8:9::1'] }));
  assert.equal(result.ok ? 'ok' : result.error.reason, 'NoPool');
  assert.deepEqual(ipam.allocationOf('shop/web'), [{ ip: '192.0.2.0', pool: 'v4' }]);
  assert.equal(ipam.poolStatus('v6')?.usage, 0);
});

test('going back to single stack frees the other family', () => {
  const ipam = new Ipam();
  ipam.setPools([v4, v6]);
  assert.ok(ipam.allocate(request('shop/web', dual('RequireDualStack'))).ok);
  const single = ipam.allocate(request('shop/web', dual('SingleStack', [4])));
  assert.ok(single.ok);
  assert.equal(single.value.changed, true);
  assert.deepEqual(single.value.addresses, [{ ip: '192.0.2.0', pool: 'v4' }]);
  assert.equal(ipam.poolStatus('v6')?.usage, 0);
});
