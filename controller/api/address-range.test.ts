import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressToBigint, bigintToAddress, canonicalIp, parseAddressRange, rangeContains, rangeSize, rangesOverlap } from './address-range.ts';

const range = (text: string) => {
  const parsed = parseAddressRange(text);
  assert.ok(parsed.ok, text);
  return parsed.value;
};

test('reads one address, a CIDR and a range of either family', () => {
  for (const [text, first, last, size] of [
    ['192.0.2.7', '192.0.2.7', '192.0.2.7', 1n],
    ['192.0.2.0/24', '192.0.2.0', '192.0.2.255', 256n],
    ['192.0.2.77/30', '192.0.2.76', '192.0.2.79', 4n],
    ['192.0.2.10-192.0.2.20', '192.0.2.10', '192.0.2.20', 11n],
    ['2001:db8::/120', '2001:db8::', '2001:db8::ff', 256n],
    ['2001:db8::1-2001:db8::1:0', '2001:db8::1', '2001:db8::1:0', 65536n],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255', 1n << 32n],
  ] as const) {
    const value = range(text);
    assert.equal(bigintToAddress(value.first, value.family), first, text);
    assert.equal(bigintToAddress(value.last, value.family), last, text);
    assert.equal(rangeSize(value), size, text);
  }
});

test('names what is wrong with an address it cannot read', () => {
  for (const [text, error] of [
    ['192.0.2.300', /not an address/],
    ['192.0.2.0/33', /prefix length from 0 to 32/],
    ['2001:db8::/129', /prefix length from 0 to 128/],
    ['192.0.2.9-192.0.2.1', /comes before/],
    ['192.0.2.1-2001:db8::1', /not an IPv4 address/],
    ['192.0.2.1-192.0.2.2-192.0.2.3', /more than one/],
    ['', /not an address/],
  ] as const) {
    const parsed = parseAddressRange(text);
    assert.ok(!parsed.ok, text);
    assert.match(parsed.error, error, text);
  }
});

test('writes IPv6 in its canonical form (RFC 5952)', () => {
  assert.equal(canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(canonicalIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('::ffff:192.0.2.1'), '::ffff:c000:201');
  assert.equal(canonicalIp('::'), '::');
  assert.equal(canonicalIp('nope'), undefined);
  assert.equal(addressToBigint('::1'), 1n);
});

test('tells containment and overlap within one family only', () => {
  assert.ok(rangeContains(range('192.0.2.0/24'), '192.0.2.200'));
  assert.ok(!rangeContains(range('192.0.2.0/24'), '2001:db8::1'));
  assert.ok(rangesOverlap(range('192.0.2.0/24'), range('192.0.2.255-192.0.3.4')));
  assert.ok(!rangesOverlap(range('192.0.2.0/25'), range('192.0.2.128/25')));
});
