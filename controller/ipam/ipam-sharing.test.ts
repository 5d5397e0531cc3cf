import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ipam } from './ipam.ts';
import { eip, request } from './ipam-fixtures.ts';
import type { ServiceRequest } from './service-request.ts';

const tcp = (port: number) => ({ protocol: 'TCP', port });
const udp = (port: number) => ({ protocol: 'UDP', port });

interface SharingCase {
  name: string;
  first: Partial<ServiceRequest>;
  second: Partial<ServiceRequest>;
  /** Automatic allocation: the second Service lands on the first one's address. */
  shares: boolean;
  /** The second asks for the first one's address: granted, or the failure reason. */
  requested: 'granted' | 'SharingConflict' | 'RequestedUnavailable';
}

const cases: SharingCase[] = [
  { name: 'same key, disjoint ports', first: { sharingKey: 'k', ports: [tcp(80)] }, second: { sharingKey: 'k', ports: [tcp(443)] }, shares: true, requested: 'granted' },
  { name: 'same key, DNS over TCP and UDP', first: { sharingKey: 'k', ports: [tcp(53)] }, second: { sharingKey: 'k', ports: [udp(53)] }, shares: true, requested: 'granted' },
  { name: 'same key, both Local', first: { sharingKey: 'k', externalTrafficPolicy: 'Local' }, second: { sharingKey: 'k', ports: [tcp(443)], externalTrafficPolicy: 'Local' }, shares: true, requested: 'granted' },
  { name: 'same key, same port', first: { sharingKey: 'k', ports: [tcp(80)] }, second: { sharingKey: 'k', ports: [tcp(80)] }, shares: false, requested: 'SharingConflict' },
  { name: 'same key, traffic policies differ', first: { sharingKey: 'k' }, second: { sharingKey: 'k', ports: [tcp(443)], externalTrafficPolicy: 'Local' }, shares: false, requested: 'SharingConflict' },
  { name: 'different keys', first: { sharingKey: 'k' }, second: { sharingKey: 'j', ports: [tcp(443)] }, shares: false, requested: 'SharingConflict' },
  { name: 'holder has no key', first: {}, second: { sharingKey: 'k', ports: [tcp(443)] }, shares: false, requested: 'SharingConflict' },
  { name: 'newcomer has no key', first: { sharingKey: 'k' }, second: { ports: [tcp(443)] }, shares: false, requested: 'RequestedUnavailable' },
  { name: 'neither has a key', first: {}, second: { ports: [tcp(443)] }, shares: false, requested: 'RequestedUnavailable' },
];

const pools = [eip('def', '192.0.2.0/24', { isDefault: true })];

test('shares an address only under MetalLB\'s rule, automatically and on request', () => {
  for (const item of cases) {
    const automatic = new Ipam();
    automatic.setPools(pools);
    assert.ok(automatic.allocate(request('a/first', item.first)).ok, item.name);
    const second = automatic.allocate(request('a/second', item.second));
    assert.ok(second.ok, item.name);
    assert.equal(second.value.addresses[0].ip, item.shares ? '192.0.2.0' : '192.0.2.1', `${item.name}: automatic`);

    const asked = new Ipam();
    asked.setPools(pools);
    assert.ok(asked.allocate(request('a/first', item.first)).ok, item.name);
    const result = asked.allocate(request('a/second', { ...item.second, requested: ['192.0.2.0'] }));
    assert.equal(result.ok ? 'granted' : result.error.reason, item.requested, `${item.name}: requested`);
  }
});

test('a Service with a sharing key joins a compatible address before taking a free one', () => {
  const ipam = new Ipam();
  ipam.setPools(pools);
  ipam.allocate(request('a/one'));
  ipam.allocate(request('a/two', { sharingKey: 'k', ports: [tcp(80)] }));
  assert.equal(ipam.release('a/one').length, 1);
  const joined = ipam.allocate(request('a/three', { sharingKey: 'k', ports: [tcp(443)] }));
  assert.ok(joined.ok);
  assert.equal(joined.value.addresses[0].ip, '192.0.2.1');
  assert.deepEqual(ipam.poolStatus('def')?.used, { '192.0.2.1': 'a/three;a/two' });
});

test('a Service whose ports come to clash moves off the shared address', () => {
  const ipam = new Ipam();
  ipam.setPools(pools);
  ipam.allocate(request('a/one', { sharingKey: 'k', ports: [tcp(80)] }));
  ipam.allocate(request('a/two', { sharingKey: 'k', ports: [tcp(443)] }));
  const moved = ipam.allocate(request('a/two', { sharingKey: 'k', ports: [tcp(80)] }));
  assert.ok(moved.ok);
  assert.deepEqual(moved.value.addresses, [{ ip: '192.0.2.1', pool: 'def' }]);
  assert.equal(moved.value.changed, true);
  assert.deepEqual(ipam.poolStatus('def')?.used, { '192.0.2.0': 'a/one', '192.0.2.1': 'a/two' });
});

test('a Service that asked for a shared address and then clashes fails and keeps it', () => {
  const ipam = new Ipam();
  ipam.setPools(pools);
  ipam.allocate(request('a/one', { sharingKey: 'k', ports: [tcp(80)] }));
  ipam.allocate(request('a/two', { sharingKey: 'k', ports: [tcp(443)], requested: ['192.0.2.0'] }));
  const result = ipam.allocate(request('a/two', { sharingKey: 'k', ports: [tcp(80)], requested: ['192.0.2.0'] }));
  assert.equal(result.ok ? 'ok' : result.error.reason, 'SharingConflict');
  assert.deepEqual(ipam.allocationOf('a/two'), [{ ip: '192.0.2.0', pool: 'def' }]);
});
