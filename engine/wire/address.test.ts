/** Address text (RFC 5952): one table drives formatting and parsing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4, formatIpv6, parseIpv4Into, parseIpv6Into } from './address.ts';

const IPV6: [string, string][] = [
  ['00000000000000000000000000000000', '::'],
  ['00000000000000000000000000000001', '::1'],
  ['20010db8000000000000000000000001', '2001:db8::1'],
  ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
  ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
  ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
  ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
  ['fe800000000000000211 22fffe334455'.replace(' ', ''), 'fe80::211:22ff:fe33:4455'],
  ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
  ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
  ['000000000000000000000000c0000201', '::c000:201'],
  ['00010000000000010000000000000001', '1:0:0:1::1'],
  ['00000002000300040005000600070008', '0:2:3:4:5:6:7:8'],
  ['00010002000300040005000600070000', '1:2:3:4:5:6:7:0'],
];

test('IPv6 addresses print as RFC 5952 says and parse back', () => {
  for (const [hex, text] of IPV6) {
    const bytes = Buffer.from(hex, 'hex');
    assert.equal(formatIpv6(bytes, 0), text, hex);
    const parsed = new Uint8Array(16);
    assert.ok(parseIpv6Into(text, parsed, 0), text);
    assert.equal(Buffer.from(parsed).toString('hex'), hex, text);
  }
});

test('IPv6 parsing accepts the other RFC 4291 forms', () => {
  const forms: [string, string][] = [
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::0:1', '::1'],
    ['::1.2.3.4', '::102:304'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['2001:0db8::0001', '2001:db8::1'],
  ];
  for (const [text, canonical] of forms) {
    const parsed = new Uint8Array(16);
    assert.ok(parseIpv6Into(text, parsed, 0), text);
    assert.equal(formatIpv6(parsed, 0), canonical);
  }
});

test('IPv6 parsing refuses what is not an address', () => {
  for (const text of ['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', ':1', '1:', '1.2.3.4', '::ffff:01.2.3.4', '1:2:3:4:5:6:7::8']) {
    assert.equal(parseIpv6Into(text, new Uint8Array(16), 0), false, text);
  }
});

test('IPv4 dotted quads', () => {
  const parsed = new Uint8Array(4);
  for (const text of ['0.0.0.0', '192.0.2.1', '255.255.255.255']) {
    assert.ok(parseIpv4Into(text, parsed, 0));
    assert.equal(formatIpv4(parsed, 0), text);
  }
  for (const text of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.', ' 1.2.3.4', '1.2.3.-4']) {
    assert.equal(parseIpv4Into(text, parsed, 0), false, text);
  }
});
