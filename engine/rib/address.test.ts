import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKey, ipv4ToNumber } from './address.ts';

test('ipv4ToNumber reads a dotted quad as an unsigned 32-bit number', () => {
  assert.equal(ipv4ToNumber('0.0.0.0'), 0);
  assert.equal(ipv4ToNumber('10.0.0.1'), 0x0a000001);
  assert.equal(ipv4ToNumber('255.255.255.255'), 0xffffffff);
});

test('ipv4ToNumber refuses what is not a dotted quad', () => {
  for (const text of ['10.0.0', '10.0.0.256', '10.0.0.x', '1.2.3.4.5', '']) {
    assert.throws(() => ipv4ToNumber(text), /not an IPv4 address/);
  }
});

const keys: [string, string][] = [
  ['192.0.2.1', '00000000000000000000ffffc0000201'],
  ['::', '00000000000000000000000000000000'],
  ['::1', '00000000000000000000000000000001'],
  ['2001:db8::10', '20010db8000000000000000000000010'],
  ['fe80::1%eth0', 'fe800000000000000000000000000001'],
  ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
  ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
  ['2001:DB8::A', '20010db800000000000000000000000a'],
];

for (const [address, key] of keys) {
  test(`addressKey ${address}`, () => assert.equal(addressKey(address), key));
}

test('addressKey refuses malformed IPv6', () => {
  for (const text of ['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', '1:2:3:4::5:6:7:8']) {
    assert.throws(() => addressKey(text), /not an IPv6 address/, text);
  }
});
