/** One address per family, InternalIP before ExternalIP. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressFor, nodeAddresses, type NodeAddresses } from './node-address.ts';
import { makeNode } from './testing.ts';

const rows: { name: string; addresses: { type: string; address: string }[]; expected: NodeAddresses }[] = [
  { name: 'none', addresses: [], expected: {} },
  { name: 'one InternalIP', addresses: [{ type: 'InternalIP', address: '192.0.2.1' }], expected: { ipv4: '192.0.2.1' } },
  {
    name: 'dual stack InternalIPs, IPv6 canonical',
    addresses: [{ type: 'InternalIP', address: '192.0.2.1' }, { type: 'InternalIP', address: '2001:DB8:0::1' }],
    expected: { ipv4: '192.0.2.1', ipv6: '2001:db8::1' },
  },
  {
    name: 'InternalIP preferred though ExternalIP is listed first',
    addresses: [{ type: 'ExternalIP', address: '203.0.113.1' }, { type: 'InternalIP', address: '192.0.2.1' }],
    expected: { ipv4: '192.0.2.1' },
  },
  {
    name: 'ExternalIP when the family has no InternalIP',
    addresses: [{ type: 'InternalIP', address: '192.0.2.1' }, { type: 'ExternalIP', address: '2001:db8::9' }],
    expected: { ipv4: '192.0.2.1', ipv6: '2001:db8::9' },
  },
  {
    name: 'the first of several InternalIPs; hostnames and bad text ignored',
    addresses: [
      { type: 'Hostname', address: 'n1' },
      { type: 'InternalIP', address: 'not-an-ip' },
      { type: 'InternalIP', address: '192.0.2.2' },
      { type: 'InternalIP', address: '192.0.2.3' },
    ],
    expected: { ipv4: '192.0.2.2' },
  },
];

for (const row of rows) {
  test(`node addresses: ${row.name}`, () => {
    assert.deepEqual(nodeAddresses(makeNode('n1', { addresses: row.addresses })), row.expected);
  });
}

test('addressFor picks the family of the VIP', () => {
  const addresses = { ipv4: '192.0.2.1', ipv6: '2001:db8::1' };
  assert.equal(addressFor(addresses, '198.51.100.1'), '192.0.2.1');
  assert.equal(addressFor(addresses, '2001:db8:1::1'), '2001:db8::1');
  assert.equal(addressFor({ ipv4: '192.0.2.1' }, '2001:db8:1::1'), undefined);
});
