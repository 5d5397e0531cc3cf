import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Eip } from '../api/types.ts';
import { sharingConflict } from './address-sharing.ts';
import { Ipam } from './ipam.ts';
import { eip, request } from './ipam-fixtures.ts';
import type { ServiceRequest } from './service-request.ts';

const KEYS = ['a/s0', 'a/s1', 'a/s2', 'b/s3', 'b/s4', 'b/s5', 'c/s6', 'c/s7'];

// Small pools so that sequences run out of addresses, share them and orphan them.
const POOL_SETS: Eip[][] = [
  [eip('v4', '192.0.2.0/30', { isDefault: true }), eip('v6', '2001:db8::/126', { isDefault: true })],
  [eip('v4', '192.0.2.0/29', { isDefault: true }), eip('b4', '198.51.100.0/31', { namespaces: ['b'] })],
  [eip('v4', '192.0.2.2/31', { isDefault: true }), eip('v6', '2001:db8::/127', { isDefault: true, disable: true })],
];

const port = fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80, 443) });

const requestFields = fc.record({
  sharingKey: fc.constantFrom(undefined, 'k', 'k', 'j'),
  ports: fc.uniqueArray(port, { maxLength: 2, selector: (item) => `${item.protocol}/${item.port}` }),
  externalTrafficPolicy: fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local'),
  stack: fc.constantFrom<[ServiceRequest['familyPolicy'], ServiceRequest['families']]>(
    ['SingleStack', [4]],
    ['SingleStack', [6]],
    ['PreferDualStack', [4, 6]],
    ['RequireDualStack', [6, 4]],
  ),
  requested: fc.constantFrom<string[]>([], [], ['192.0.2.1'], ['192.0.2.3'], ['2001:db8::1']),
  pools: fc.constantFrom<string[]>([], [], ['v4'], ['b4']),
});

const operation = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('allocate' as const), key: fc.constantFrom(...KEYS), fields: requestFields }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pools' as const), set: fc.nat(POOL_SETS.length - 1) }) },
);

function check(ipam: Ipam, granted: Map<string, ServiceRequest>): void {
  const holders = new Map<string, string[]>();
  for (const key of KEYS) {
    const held = ipam.allocationOf(key) ?? [];
    assert.equal(new Set(held.map(({ ip }) => ip.includes(':'))).size, held.length, `${key} holds one address per family`);
    for (const { ip } of held) holders.set(ip, [...(holders.get(ip) ?? []), key]);
  }
  for (const [ip, keys] of holders) {
    for (const a of keys) {
      for (const b of keys) {
        if (a === b) continue;
        const terms = [granted.get(a), granted.get(b)];
        assert.ok(terms[0] && terms[1], `${ip}: holders ${a}, ${b} were granted`);
        assert.equal(sharingConflict(terms[0], terms[1]), undefined, `${ip} held by ${a} and ${b}`);
      }
    }
  }
  const orphans = new Set(ipam.orphans().map(({ ip }) => ip));
  const usage = ipam.usageByPool().reduce((sum, pool) => sum + pool.used, 0);
  assert.equal(usage + orphans.size, holders.size, 'usage counts each held address once');
  for (const pool of ipam.usageByPool()) {
    const used = ipam.poolStatus(pool.pool)?.used ?? {};
    assert.equal(Object.keys(used).length, pool.used);
    for (const [ip, keys] of Object.entries(used)) assert.deepEqual(keys.split(';'), [...(holders.get(ip) ?? [])].sort(), ip);
  }
}

test('no address ever goes to two Services that may not share it, and usage counts distinct addresses', () => {
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
      const ipam = new Ipam();
      ipam.setPools(POOL_SETS[0]);
      const granted = new Map<string, ServiceRequest>();
      for (const step of operations) {
        if (step.kind === 'pools') {
          ipam.setPools(POOL_SETS[step.set]);
        } else if (step.kind === 'release') {
          ipam.release(step.key);
          granted.delete(step.key);
        } else {
          const { stack, requested, ...rest } = step.fields;
          const [familyPolicy, families] = stack;
          const subject = request(step.key, {
            ...rest,
            familyPolicy,
            families,
            requested: requested.filter((ip) => families.includes(ip.includes(':') ? 6 : 4)),
          });
          const result = ipam.allocate(subject);
          if (result.ok) {
            granted.set(step.key, subject);
            assert.ok(result.value.addresses.length >= 1 && result.value.addresses.length <= families.length);
          }
        }
        check(ipam, granted);
      }
    }),
    { numRuns: 300 },
  );
});
