/**
 * encodeRoutes and decodeRoutes: the exact octets for a small table, the fewest messages at both
 * size limits, and decodeRoutes(encodeRoutes(x)) giving the routes and sets back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tsCodec } from './ts-codec.ts';
import {
  type AttributeSet,
  COLUMN_FAMILY,
  type Message,
  type RouteColumns,
  type SessionContext,
  type UpdateMessage,
  WITHDRAW,
} from './types.ts';
import { parseIpv4Into, parseIpv6Into } from './address.ts';
import { WireEncodeError } from './errors.ts';
import { emptyRouteColumns } from './route-columns.ts';

interface Route {
  prefix: string;
  pathId?: number;
  set: number;
}

/** Columns from CIDR text; the family follows from the address. */
function columns(routes: Route[]): RouteColumns {
  const n = routes.length;
  const result = emptyRouteColumns(n);
  routes.forEach((route, i) => {
    const [address, length] = route.prefix.split('/');
    const ipv6 = address.includes(':');
    result.family[i] = ipv6 ? COLUMN_FAMILY['ipv6-unicast'] : COLUMN_FAMILY['ipv4-unicast'];
    result.prefixLength[i] = Number(length);
    assert.ok(ipv6 ? parseIpv6Into(address, result.address, 16 * i) : parseIpv4Into(address, result.address, 16 * i));
    // Only the octets the prefix length covers travel on the wire.
    result.address.fill(0, 16 * i + ((Number(length) + 7) >> 3), 16 * i + 16);
    result.pathId[i] = route.pathId ?? 0;
    result.attributeSet[i] = route.set;
  });
  return result;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** An UPDATE from the hex of its path attributes and NLRI, written by hand. */
function rawUpdate(attributes: string, nlri: string): Uint8Array {
  const a = attributes.replace(/ /g, '');
  const n = nlri.replace(/ /g, '');
  const length = 23 + (a.length + n.length) / 2;
  const field = (value: number) => value.toString(16).padStart(4, '0');
  return Buffer.from('ff'.repeat(16) + field(length) + '02' + '0000' + field(a.length / 2) + a + n, 'hex');
}

function concat(messages: Message[], context?: SessionContext): string {
  return messages.map((message) => hex(tsCodec.encodeMessage(message, context))).join('');
}

const ORIGIN_AND_PATH: AttributeSet['attributes'] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] },
];

const SETS: AttributeSet[] = [
  { nextHops: ['192.0.2.1'], attributes: [{ type: 'med', value: 5 }, ...ORIGIN_AND_PATH] },
  { nextHops: ['2001:db8::1', 'fe80::1'], attributes: [...ORIGIN_AND_PATH, { type: 'communities', values: ['65001:7'] }] },
  { nextHops: ['192.0.2.99'], attributes: ORIGIN_AND_PATH },
];

describe('encodeRoutes octets', () => {
  test('withdrawals first, then sets in order; NEXT_HOP sorted in, MP_REACH_NLRI first', () => {
    const routes = columns([
      { prefix: '2001:db8:1::/48', set: 1 },
      { prefix: '198.51.100.0/24', set: 0 },
      { prefix: '2001:db8:9::/48', set: WITHDRAW },
      { prefix: '203.0.113.0/24', set: WITHDRAW },
      { prefix: '192.0.2.128/25', set: 1 },
      { prefix: '198.51.100.7/32', set: 0 },
      { prefix: '10.0.0.0/8', set: WITHDRAW },
    ]);
    const expected: UpdateMessage[] = [
      { type: 'update', withdrawn: [{ prefix: '203.0.113.0/24' }, { prefix: '10.0.0.0/8' }], attributes: [], nlri: [] },
      {
        type: 'update',
        withdrawn: [],
        attributes: [{ type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [{ prefix: '2001:db8:9::/48' }] }],
        nlri: [],
      },
      {
        type: 'update',
        withdrawn: [],
        attributes: [...ORIGIN_AND_PATH, { type: 'next-hop', value: '192.0.2.1' }, { type: 'med', value: 5 }],
        nlri: [{ prefix: '198.51.100.0/24' }, { prefix: '198.51.100.7/32' }],
      },
      {
        type: 'update',
        withdrawn: [],
        attributes: [
          { type: 'mp-reach', family: 'ipv4-unicast', nextHops: ['2001:db8::1', 'fe80::1'], nlri: [{ prefix: '192.0.2.128/25' }] },
          ...SETS[1].attributes,
        ],
        nlri: [],
      },
      {
        type: 'update',
        withdrawn: [],
        attributes: [
          { type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['2001:db8::1', 'fe80::1'], nlri: [{ prefix: '2001:db8:1::/48' }] },
          ...SETS[1].attributes,
        ],
        nlri: [],
      },
    ];
    assert.equal(hex(tsCodec.encodeRoutes(routes, SETS)), concat(expected));
  });

  test('path identifiers for the ADD-PATH families only', () => {
    const context: SessionContext = { addPath: ['ipv4-unicast'] };
    const routes = columns([
      { prefix: '198.51.100.0/24', pathId: 7, set: 2 },
      { prefix: '198.51.100.0/24', pathId: 8, set: 2 },
      { prefix: '2001:db8:1::/48', set: 1 },
    ]);
    const expected: UpdateMessage[] = [
      {
        type: 'update',
        withdrawn: [],
        attributes: [
          { type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['2001:db8::1', 'fe80::1'], nlri: [{ prefix: '2001:db8:1::/48' }] },
          ...SETS[1].attributes,
        ],
        nlri: [],
      },
      {
        type: 'update',
        withdrawn: [],
        attributes: [...ORIGIN_AND_PATH, { type: 'next-hop', value: '192.0.2.99' }],
        nlri: [
          { prefix: '198.51.100.0/24', pathId: 7 },
          { prefix: '198.51.100.0/24', pathId: 8 },
        ],
      },
    ];
    assert.equal(hex(tsCodec.encodeRoutes(routes, SETS, context)), concat(expected, context));
  });

  test('no routes, no octets', () => {
    assert.equal(tsCodec.encodeRoutes(columns([]), SETS).length, 0);
  });

  const refusals: [string, Route[], AttributeSet[]][] = [
    ['a set that does not exist', [{ prefix: '10.0.0.0/8', set: 3 }], SETS],
    ['an IPv6 route over an IPv4 next hop', [{ prefix: '2001:db8::/32', set: 0 }], SETS],
    ['a set without next hops', [{ prefix: '10.0.0.0/8', set: 0 }], [{ nextHops: [], attributes: [] }]],
    ['a set holding NEXT_HOP', [{ prefix: '10.0.0.0/8', set: 0 }], [{ nextHops: ['192.0.2.1'], attributes: [{ type: 'next-hop', value: '192.0.2.1' }] }]],
    [
      'a route whose attributes fill the message',
      [{ prefix: '10.0.0.0/8', set: 0 }],
      [{ nextHops: ['192.0.2.1'], attributes: [{ type: 'unknown', code: 99, flags: 0xc0, data: '00'.repeat(4070) }] }],
    ],
  ];
  for (const [name, routes, sets] of refusals) {
    test(`refuses ${name}`, () => {
      assert.throws(() => tsCodec.encodeRoutes(columns(routes), sets), WireEncodeError);
    });
  }
});

/** The UPDATEs of a stream, with their lengths, decoded. */
function updates(bytes: Uint8Array, context?: SessionContext): { length: number; message: UpdateMessage }[] {
  const out: { length: number; message: UpdateMessage }[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = (bytes[offset + 16] << 8) | bytes[offset + 17];
    const { message, error } = tsCodec.decodeMessage(bytes.subarray(offset, offset + length), context);
    assert.equal(error, undefined);
    assert.equal(message?.type, 'update');
    out.push({ length, message: message as UpdateMessage });
    offset += length;
  }
  return out;
}

/** Set k's next hops: an IPv4 address, one IPv6 address, or global and link-local IPv6 addresses. */
function nextHopsOf(k: number): string[] {
  if (k % 3 === 0) return [`198.18.0.${k + 1}`];
  return k % 3 === 1 ? [`2001:2::${(k + 1).toString(16)}`] : [`2001:2::${k.toString(16)}`, 'fe80::1'];
}

function mixedSets(count: number): AttributeSet[] {
  return Array.from({ length: count }, (_, k) => ({
    nextHops: nextHopsOf(k),
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns: [65001, 4_200_000_000 + k] }] },
      { type: 'communities', values: Array.from({ length: 1 + ((k * 13) % 40) }, (_, c) => `65001:${c}`) },
    ],
  }));
}

/**
 * `count` routes of mixed prefix lengths over `sets` sets (see nextHopsOf), one in seven withdrawn;
 * IPv6 only where the set's next hops allow it.
 */
function mixedRoutes(count: number, sets: number): Route[] {
  const routes: Route[] = [];
  for (let i = 0; i < count; i++) {
    const set = i % 7 === 3 ? WITHDRAW : (i * 31) % sets;
    const ipv6 = i % 2 === 1 && (set === WITHDRAW || set % 3 !== 0);
    if (ipv6) {
      const length = 32 + (i % 97);
      routes.push({ prefix: `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/${length}`, set, pathId: i });
    } else {
      const length = 8 + (i % 17);
      routes.push({ prefix: `${10 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}.0/${length}`, set, pathId: i });
    }
  }
  return routes;
}

describe('encodeRoutes packs into the fewest messages', () => {
  for (const [limit, context] of [
    [4096, { addPath: ['ipv4-unicast', 'ipv6-unicast'] }],
    [65535, { extendedMessage: true }],
    [4096, {}],
  ] as [number, SessionContext][]) {
    test(`at ${limit} octets, context ${JSON.stringify(context)}`, () => {
      const routes = mixedRoutes(limit === 4096 ? 6000 : 60000, 5);
      const sets = mixedSets(5);
      const bytes = tsCodec.encodeRoutes(columns(routes), sets, context);
      const messages = updates(bytes, context);
      // Greedy is minimal for a fixed order: a message ends only when the next prefix of its group would not fit.
      const group = (message: UpdateMessage) =>
        JSON.stringify([message.withdrawn.length > 0, message.attributes.map((a) => (a.type === 'mp-reach' || a.type === 'mp-unreach' ? [a.type, a.family] : a))]);
      for (let i = 0; i < messages.length; i++) {
        assert.ok(messages[i].length <= limit, `message ${i} is ${messages[i].length} octets`);
        if (i + 1 < messages.length && group(messages[i].message) === group(messages[i + 1].message)) {
          const joined = structuredClone(messages[i].message);
          const next = messages[i + 1].message;
          const first = (list: { prefix: string; pathId?: number }[]) => list.slice(0, 1);
          joined.withdrawn.push(...first(next.withdrawn));
          joined.nlri.push(...first(next.nlri));
          for (const attribute of joined.attributes) {
            const twin = next.attributes.find((a) => a.type === attribute.type);
            if (attribute.type === 'mp-reach' && twin?.type === 'mp-reach' && 'nlri' in attribute && 'nlri' in twin) attribute.nlri.push(...first(twin.nlri));
            if (attribute.type === 'mp-unreach' && twin?.type === 'mp-unreach' && 'withdrawn' in attribute && 'withdrawn' in twin) {
              attribute.withdrawn.push(...first(twin.withdrawn));
            }
          }
          assert.throws(() => tsCodec.encodeMessage(joined, context), WireEncodeError, `message ${i} could have taken one more prefix`);
        }
      }
      const expectedPrefixes = routes.length;
      const decoded = tsCodec.decodeRoutes(bytes, context);
      assert.equal(decoded.routes.count, expectedPrefixes);
    });
  }

  test('many sets with few routes each take one message per set and family', () => {
    const sets = mixedSets(30);
    const routes = Array.from({ length: 60 }, (_, i) => ({ prefix: `10.0.${i}.0/24`, set: i % 30 }));
    const messages = updates(tsCodec.encodeRoutes(columns(routes), sets));
    assert.equal(messages.length, 30);
  });
});

describe('decodeRoutes(encodeRoutes(x)) gives x back', () => {
  for (const context of [{}, { addPath: ['ipv4-unicast', 'ipv6-unicast'] }, { extendedMessage: true, fourOctetAs: false }] as SessionContext[]) {
    test(`context ${JSON.stringify(context)}`, () => {
      const sets = mixedSets(9).map((set) =>
        context.fourOctetAs === false
          ? { ...set, attributes: set.attributes.map((a) => (a.type === 'as-path' ? { type: 'as-path' as const, segments: [{ type: 'sequence' as const, asns: [65001, 23456] }] } : a)) }
          : set,
      );
      const withPathIds = (context.addPath ?? []).length > 0;
      const routes = mixedRoutes(5000, 9).map((route) => (withPathIds ? route : { ...route, pathId: 0 }));
      const input = columns(routes);
      const decoded = tsCodec.decodeRoutes(tsCodec.encodeRoutes(input, sets, context), context);
      assert.deepStrictEqual(decoded.errors, []);
      assert.deepStrictEqual(decoded.endOfRib, []);
      // Every set is used, so interning in order of first appearance gives the input's indices.
      assert.deepStrictEqual(decoded.attributeSets, sets);
      // Encoding groups: withdrawals (ipv4, ipv6), then by set, ipv4 before ipv6; input order within.
      const key = (i: number) => (input.attributeSet[i] === WITHDRAW ? input.family[i] : 2 + 2 * input.attributeSet[i] + input.family[i]);
      const order = Array.from({ length: input.count }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
      const expected = columns(order.map((i) => routes[i]));
      assert.deepStrictEqual(decoded.routes, expected);
      assert.ok(decoded.consumed > 0);
    });
  }
});

describe('decodeRoutes', () => {
  const context: SessionContext = {};
  const encode = (message: Message) => tsCodec.encodeMessage(message, context);
  const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  const announce = (nlri: string[], extra: UpdateMessage['attributes'] = []): UpdateMessage => ({
    type: 'update',
    withdrawn: [],
    attributes: [...ORIGIN_AND_PATH, { type: 'next-hop', value: '192.0.2.1' }, ...extra],
    nlri: nlri.map((prefix) => ({ prefix })),
  });

  test('withdrawn prefixes, End-of-RIB markers, other families skipped, sets interned', () => {
    const bytes = join(
      encode(announce(['10.0.0.0/8'])),
      encode({ type: 'update', withdrawn: [{ prefix: '10.0.0.0/8' }], attributes: [], nlri: [] }),
      encode(announce(['10.1.0.0/16'])),
      encode({ type: 'update', withdrawn: [], attributes: [{ type: 'mp-reach', family: 'ipv4-vpn', nextHopData: '00', nlriData: '00' }, ...ORIGIN_AND_PATH], nlri: [] }),
      encode({ type: 'update', withdrawn: [], attributes: [], nlri: [] }),
      encode({ type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [] }], nlri: [] }),
      encode({ type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', family: 'l2vpn-evpn', nlriData: '' }], nlri: [] }),
    );
    const decoded = tsCodec.decodeRoutes(bytes, context);
    assert.deepStrictEqual(decoded.routes, columns([
      { prefix: '10.0.0.0/8', set: 0 },
      { prefix: '10.0.0.0/8', set: WITHDRAW },
      { prefix: '10.1.0.0/16', set: 0 },
    ]));
    assert.deepStrictEqual(decoded.attributeSets, [{ nextHops: ['192.0.2.1'], attributes: ORIGIN_AND_PATH }]);
    assert.deepStrictEqual(decoded.endOfRib, ['ipv4-unicast', 'ipv6-unicast', 'l2vpn-evpn']);
    assert.deepStrictEqual(decoded.errors, []);
    assert.equal(decoded.consumed, bytes.length);
  });

  test('a treat-as-withdraw message withdraws its NLRI', () => {
    const bytes = encode({ type: 'update', withdrawn: [], attributes: [ORIGIN_AND_PATH[0], { type: 'next-hop', value: '192.0.2.1' }], nlri: [{ prefix: '10.2.0.0/16' }] });
    const decoded = tsCodec.decodeRoutes(bytes, context);
    assert.deepStrictEqual(decoded.routes, columns([{ prefix: '10.2.0.0/16', set: WITHDRAW }]));
    assert.deepStrictEqual(decoded.attributeSets, []);
    assert.deepStrictEqual(
      decoded.errors.map((e) => [e.message, e.offset, e.error.reason]),
      [[0, 0, 'missing-well-known-attribute']],
    );
  });

  test('an attribute-discard message keeps its routes, with the attribute left out of the set', () => {
    const bytes = rawUpdate('40010100' + '40020602010000fde9' + '400304c0000201' + '40060100', '10 0a02');
    const decoded = tsCodec.decodeRoutes(bytes, context);
    assert.deepStrictEqual(decoded.routes, columns([{ prefix: '10.2.0.0/16', set: 0 }]));
    assert.deepStrictEqual(decoded.attributeSets, [{ nextHops: ['192.0.2.1'], attributes: ORIGIN_AND_PATH }]);
    assert.equal(decoded.errors[0].error.action, 'attribute-discard');
  });

  test('afi-safi-disable drops the family from that message only', () => {
    // An ipv6 MP_REACH_NLRI with a 4-octet next hop: ipv6-unicast is disabled.
    const bad = rawUpdate(
      '800f08 000201 20 20010db8' + '800e0e 000201 04 c0000201 00 20 20010db8' + '40010100' + '40020602010000fde9' + '400304c0000201',
      '18 c63364',
    );
    assert.equal(tsCodec.decodeMessage(bad, context).error?.action, 'afi-safi-disable');
    const later = encode({
      type: 'update',
      withdrawn: [],
      attributes: [{ type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [{ prefix: '2001:db8::/32' }] }],
      nlri: [],
    });
    const decoded = tsCodec.decodeRoutes(join(bad, later), context);
    assert.deepStrictEqual(decoded.routes, columns([
      { prefix: '198.51.100.0/24', set: 0 },
      { prefix: '2001:db8::/32', set: WITHDRAW },
    ]));
    assert.deepStrictEqual(decoded.errors.map((e) => [e.message, e.offset, e.error.family]), [[0, 0, 'ipv6-unicast']]);
  });

  test('stops at a session reset, a message of another type, or a partial message', () => {
    const first = encode(announce(['10.0.0.0/8']));
    const reset = rawUpdate('40010100' + '40020602010000fde9' + '400304c0000201', '21 c000020100');
    const cases: [string, Uint8Array, number][] = [
      ['session reset', join(first, reset, first), 1],
      ['keepalive', join(first, encode({ type: 'keepalive' }), first), 0],
      ['partial', join(first, first.subarray(0, 30)), 0],
      ['bad marker', join(first, new Uint8Array(19)), 1],
    ];
    for (const [name, bytes, errors] of cases) {
      const decoded = tsCodec.decodeRoutes(bytes, context);
      assert.equal(decoded.consumed, first.length, name);
      assert.equal(decoded.routes.count, 1, name);
      assert.equal(decoded.errors.length, errors, name);
      if (errors === 1) assert.deepStrictEqual([decoded.errors[0].message, decoded.errors[0].offset], [1, first.length], name);
    }
  });
});
