/**
 * Path attributes, one (octets, context, value) row each: the octets decode to the value, and the
 * value encodes to the octets. Error rows are in testdata/wire and ts-errors.jsonl.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAttributes, encodeAttribute } from './attributes/list.ts';
import { resolveContext } from './context.ts';
import { PREFIX_VALUES } from './prefix.ts';
import type { PathAttribute, SessionContext } from './types.ts';
import { ByteWriter } from './writer.ts';

const AS2: SessionContext = { fourOctetAs: false };

const ROWS: [string, SessionContext, string, PathAttribute][] = [
  ['ORIGIN igp', {}, '40 01 01 00', { type: 'origin', value: 'igp' }],
  ['ORIGIN egp', {}, '40 01 01 01', { type: 'origin', value: 'egp' }],
  ['ORIGIN incomplete', {}, '40 01 01 02', { type: 'origin', value: 'incomplete' }],
  ['AS_PATH empty', {}, '40 02 00', { type: 'as-path', segments: [] }],
  ['AS_PATH 4-octet', {}, '40 02 0a 02 02 0000fde9 fa56ea00', { type: 'as-path', segments: [{ type: 'sequence', asns: [65001, 4200000000] }] }],
  ['AS_PATH 2-octet', AS2, '40 02 06 02 02 fde9 5ba0', { type: 'as-path', segments: [{ type: 'sequence', asns: [65001, 23456] }] }],
  [
    'AS_PATH with every segment type',
    AS2,
    '40 02 10 01 01 0001 02 01 0002 03 01 0003 04 01 0004',
    {
      type: 'as-path',
      segments: [
        { type: 'set', asns: [1] },
        { type: 'sequence', asns: [2] },
        { type: 'confed-sequence', asns: [3] },
        { type: 'confed-set', asns: [4] },
      ],
    },
  ],
  ['NEXT_HOP', {}, '40 03 04 c0000201', { type: 'next-hop', value: '192.0.2.1' }],
  ['MED', {}, '80 04 04 ffffffff', { type: 'med', value: 4294967295 }],
  ['LOCAL_PREF', {}, '40 05 04 00000064', { type: 'local-pref', value: 100 }],
  ['ATOMIC_AGGREGATE', {}, '40 06 00', { type: 'atomic-aggregate' }],
  ['AGGREGATOR 4-octet', {}, 'c0 07 08 fa56ea00 c0000209', { type: 'aggregator', asn: 4200000000, address: '192.0.2.9' }],
  ['AGGREGATOR 2-octet', AS2, 'c0 07 06 5ba0 c0000209', { type: 'aggregator', asn: 23456, address: '192.0.2.9' }],
  ['COMMUNITIES', {}, 'c0 08 08 ffffff01 fde90064', { type: 'communities', values: ['65535:65281', '65001:100'] }],
  ['ORIGINATOR_ID', {}, '80 09 04 0aff0001', { type: 'originator-id', value: '10.255.0.1' }],
  ['CLUSTER_LIST', {}, '80 0a 08 0aff0002 0aff0003', { type: 'cluster-list', values: ['10.255.0.2', '10.255.0.3'] }],
  [
    'MP_REACH_NLRI ipv6 one next hop',
    {},
    '80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001',
    { type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['2001:db8::1'], nlri: [{ prefix: '2001:db8:1::/48' }] },
  ],
  [
    'MP_REACH_NLRI ipv4 over IPv6 (RFC 8950), ADD-PATH',
    { addPath: ['ipv4-unicast'] },
    '80 0e 1d 0001 01 10 20010db8000000000000000000000001 00 00000009 18 c00002',
    { type: 'mp-reach', family: 'ipv4-unicast', nextHops: ['2001:db8::1'], nlri: [{ prefix: '192.0.2.0/24', pathId: 9 }] },
  ],
  [
    'MP_REACH_NLRI of another family',
    {},
    '80 0e 0c 0001 80 04 c0000201 00 aabbcc',
    { type: 'mp-reach', family: 'ipv4-vpn', nextHopData: 'c0000201', nlriData: 'aabbcc' },
  ],
  [
    'MP_UNREACH_NLRI ipv6',
    {},
    '80 0f 0a 0002 01 30 20010db80001',
    { type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [{ prefix: '2001:db8:1::/48' }] },
  ],
  ['MP_UNREACH_NLRI of an unnamed family', {}, '80 0f 04 0001 05 ff', { type: 'mp-unreach', family: '1/5', nlriData: 'ff' }],
  [
    'EXTENDED_COMMUNITIES',
    {},
    'c0 10 20 0002fde900000064 010 2c000020100 07'.replace(/ /g, '') + '0203fa56ea000001' + '4004fde94b3ebc20',
    {
      type: 'extended-communities',
      values: [
        { type: 'route-target', form: 'as2', value: '65001:100' },
        { type: 'route-target', form: 'ipv4', value: '192.0.2.1:7' },
        { type: 'route-origin', form: 'as4', value: '4200000000:1' },
        { type: 'link-bandwidth', transitive: false, asn: 65001, bandwidth: 12500000 },
      ],
    },
  ],
  [
    'EXTENDED_COMMUNITIES that JSON cannot carry stay raw',
    {},
    'c0 10 18 00040001 7fc00000 00040001 7f800000 00040001 80000000',
    {
      type: 'extended-communities',
      values: [
        { type: 'raw', value: '000400017fc00000' },
        { type: 'raw', value: '000400017f800000' },
        { type: 'raw', value: '0004000180000000' },
      ],
    },
  ],
  ['AS4_PATH', AS2, 'c0 11 06 02 01 fa56ea00', { type: 'as4-path', segments: [{ type: 'sequence', asns: [4200000000] }] }],
  ['AS4_AGGREGATOR', AS2, 'c0 12 08 fa56ea00 c0000209', { type: 'as4-aggregator', asn: 4200000000, address: '192.0.2.9' }],
  ['LARGE_COMMUNITY', {}, 'c0 20 0c fa56ea00 00000001 00000002', { type: 'large-communities', values: ['4200000000:1:2'] }],
  ['Partial bit', {}, 'e0 08 04 fde90001', { type: 'communities', values: ['65001:1'], partial: true }],
  ['Extended Length bit on a short value', {}, 'd0 08 0004 fde90001', { type: 'communities', values: ['65001:1'], extendedLength: true }],
  ['Partial and Extended Length', {}, 'f0 20 000c 00000001 00000002 00000003', { type: 'large-communities', values: ['1:2:3'], partial: true, extendedLength: true }],
  ['unknown optional transitive', {}, 'c0 63 02 abcd', { type: 'unknown', code: 99, flags: 0xc0, data: 'abcd' }],
  ['unknown with low flag bits and Extended Length', {}, '97 fe 0001 ab', { type: 'unknown', code: 254, flags: 0x97, data: 'ab' }],
];

const clean = (hex: string) => hex.replace(/ /g, '');

for (const [name, context, hex, value] of ROWS) {
  test(`${name}: decode`, () => {
    const bytes = Buffer.from(clean(hex), 'hex');
    const list = decodeAttributes(bytes, 0, bytes.length, resolveContext(context), PREFIX_VALUES);
    assert.equal(list.error, undefined);
    assert.deepStrictEqual(list.attributes, [value]);
    assert.equal(JSON.stringify(list.attributes[0]), JSON.stringify(value));
  });
  if (!name.includes('stay raw')) {
    test(`${name}: encode`, () => {
      const writer = new ByteWriter();
      encodeAttribute(value, writer, resolveContext(context));
      assert.equal(Buffer.from(writer.view()).toString('hex'), clean(hex));
    });
  }
}

test('a value over 255 octets takes the Extended Length form', () => {
  const writer = new ByteWriter();
  const values = Array.from({ length: 64 }, (_, i) => `65001:${i}`);
  encodeAttribute({ type: 'communities', values }, writer, resolveContext());
  assert.equal(Buffer.from(writer.view().subarray(0, 4)).toString('hex'), 'd0080100');
});

test('AS_PATH segments of more than 255 AS numbers are split', () => {
  const writer = new ByteWriter();
  const asns = Array.from({ length: 300 }, (_, i) => i + 1);
  encodeAttribute({ type: 'as-path', segments: [{ type: 'set', asns }] }, writer, resolveContext(AS2));
  const bytes = writer.view();
  assert.equal(Buffer.from(bytes.subarray(0, 6)).toString('hex'), '5002025c01ff');
  assert.equal(Buffer.from(bytes.subarray(4 + 2 + 510, 4 + 2 + 510 + 2)).toString('hex'), '012d');
});

test('a link bandwidth of negative zero is written as +0, as the native codec (behind JSON) writes it', () => {
  const writer = new ByteWriter();
  const value: PathAttribute = {
    type: 'extended-communities',
    values: [{ type: 'link-bandwidth', transitive: false, asn: 1, bandwidth: -0 }],
  };
  encodeAttribute(value, writer, resolveContext());
  assert.equal(Buffer.from(writer.view()).toString('hex'), clean('c0 10 08 40 04 0001 00000000'));
});
