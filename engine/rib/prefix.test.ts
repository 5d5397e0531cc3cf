import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalPrefix, covers, formatPrefix, parsePrefix, prefixFromOctets } from './prefix.ts';

test('prefixes are keyed masked to their length, in the wire model text form', () => {
  const cases: [string, string, string | undefined][] = [
    ['10.0.0.1/24', 'ipv4-unicast', '10.0.0.0/24'],
    ['198.51.100.7/32', 'ipv4-unicast', '198.51.100.7/32'],
    ['0.0.0.0/0', 'ipv4-unicast', '0.0.0.0/0'],
    ['192.0.2.255/25', 'ipv4-unicast', '192.0.2.128/25'],
    ['2001:DB8:0:0:1::1/64', 'ipv6-unicast', '2001:db8::/64'],
    ['2001:db8::1/128', 'ipv6-unicast', '2001:db8::1/128'],
    ['2001:db8::1/128', 'ipv4-unicast', undefined],
    ['10.0.0.0/33', 'ipv4-unicast', undefined],
    ['10.0.0.0', 'ipv4-unicast', undefined],
    ['10.0.0.0/x', 'ipv4-unicast', undefined],
  ];
  for (const [text, family, expected] of cases) assert.equal(canonicalPrefix(text, family), expected, text);
});

test('a range covers the prefixes inside it', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['10.0.0.0/8', '10.0.0.0/7', false],
    ['192.0.2.128/25', '192.0.2.200/32', true],
    ['192.0.2.128/25', '192.0.2.100/32', false],
    ['0.0.0.0/0', '203.0.113.0/24', true],
    ['0.0.0.0/0', '2001:db8::/32', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
  ];
  for (const [range, prefix, expected] of cases) {
    assert.equal(covers(parsePrefix(range)!, parsePrefix(prefix)!), expected, `${range} ${prefix}`);
  }
});

test('a column prefix ignores octets past its length', () => {
  const octets = new Uint8Array(16);
  octets.set([10, 1, 2, 3]);
  assert.equal(prefixFromOctets('ipv4-unicast', octets, 0, 16), '10.1.0.0/16');
});

test('a column IPv4 prefix is the canonical text of its masked address at every length', () => {
  const octets = Uint8Array.from([255, 254, 171, 205, ...new Array(12).fill(0)]);
  for (let length = 0; length <= 32; length++) {
    const expected = canonicalPrefix(`255.254.171.205/${length}`, 'ipv4-unicast');
    assert.equal(prefixFromOctets('ipv4-unicast', octets, 0, length), expected, `length ${length}`);
  }
});

test('an IPv4 prefix text is made canonical as parsing and formatting it would', () => {
  const texts = [
    '10.0.0.0/8', '10.1.2.3/8', '10.0.0.0/08', '0.0.0.0/0', '255.255.255.255/32', '255.255.255.255/0',
    '192.0.2.1/31', '1.2.3.4/33', '1.2.3/24', '1.2.3.4.5/32', '01.2.3.4/32', '1.2.3.256/32', '1.2.3.4',
    '1.2.3.4/', '1.2.3.4/1000', '.1.2.3/8', '1..2.3/8', '1.2.3.4/-1', '2001:db8::/32', '', '/', '0.0.0.0/00',
  ];
  for (const text of texts) {
    const parsed = parsePrefix(text);
    const expected = parsed?.family === 'ipv4-unicast' ? formatPrefix(parsed) : undefined;
    assert.equal(canonicalPrefix(text, 'ipv4-unicast'), expected, text);
  }
});
