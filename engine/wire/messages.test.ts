/**
 * Capabilities as (octets, value) rows; the OPEN, NOTIFICATION and stream rules that the shared
 * vectors do not show one by one; and the values encodeMessage refuses.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCapability, encodeCapability } from './capabilities.ts';
import { WireEncodeError } from './errors.ts';
import { tsCodec } from './ts-codec.ts';
import type { Capability, Message, OpenMessage } from './types.ts';
import { ByteWriter } from './writer.ts';

const clean = (hex: string) => hex.replace(/ /g, '');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytesOf = (text: string) => Buffer.from(clean(text), 'hex');

/** A whole message from its type and body. */
function message(type: number, body: string): Buffer {
  const b = clean(body);
  return bytesOf('ff'.repeat(16) + (19 + b.length / 2).toString(16).padStart(4, '0') + type.toString(16).padStart(2, '0') + b);
}

const CAPABILITIES: [string, Capability][] = [
  ['01 04 0002 00 01', { type: 'multiprotocol', family: 'ipv6-unicast' }],
  ['01 04 0001 00 85', { type: 'multiprotocol', family: 'ipv4-flowspec' }],
  ['02 00', { type: 'route-refresh' }],
  ['05 0c 0001 0001 0002 0001 0080 0002', { type: 'extended-next-hop', entries: [{ family: 'ipv4-unicast', nextHopAfi: 2 }, { family: 'ipv4-vpn', nextHopAfi: 2 }] }],
  ['05 06 0001 0100 0002', { type: 'extended-next-hop', entries: [{ family: '1/256', nextHopAfi: 2 }] }],
  ['06 00', { type: 'extended-message' }],
  ['40 02 0000', { type: 'graceful-restart', restarting: false, notification: false, restartTime: 0, families: [] }],
  [
    '40 06 c0b4 0002 01 80',
    { type: 'graceful-restart', restarting: true, notification: true, restartTime: 180, families: [{ family: 'ipv6-unicast', forwarding: true }] },
  ],
  ['41 04 fa56ea00', { type: 'four-octet-as', asn: 4200000000 }],
  ['45 08 0001 01 01 0002 01 03', { type: 'add-path', families: [{ family: 'ipv4-unicast', mode: 'receive' }, { family: 'ipv6-unicast', mode: 'both' }] }],
  ['46 00', { type: 'enhanced-route-refresh' }],
  ['47 07 0002 01 80 015180', { type: 'long-lived-graceful-restart', families: [{ family: 'ipv6-unicast', forwarding: true, staleTime: 86400 }] }],
  ['49 03 016100', { type: 'unknown', code: 73, data: '016100' }],
  ['45 04 0001 01 00', { type: 'unknown', code: 69, data: '00010100' }],
];

describe('capabilities', () => {
  for (const [octets, value] of CAPABILITIES) {
    test(`${value.type} ${octets}`, () => {
      const bytes = bytesOf(octets);
      assert.deepStrictEqual(decodeCapability(bytes[0], bytes, 2, bytes.length), value);
      if (value.type !== 'unknown' || value.code !== 69) {
        const writer = new ByteWriter();
        encodeCapability(value, writer);
        assert.equal(hex(writer.view()), clean(octets));
      }
    });
  }

  test('flag bits no RFC defines are ignored', () => {
    const bytes = bytesOf('40 06 3078 0001 01 7f');
    assert.deepStrictEqual(decodeCapability(64, bytes, 2, bytes.length), {
      type: 'graceful-restart',
      restarting: false,
      notification: false,
      restartTime: 120,
      families: [{ family: 'ipv4-unicast', forwarding: false }],
    });
  });
});

describe('OPEN', () => {
  const OPEN_HEAD = '04 fde9 00b4 c0000201';
  const open = (parameters: string, length = clean(parameters).length / 2) =>
    message(1, OPEN_HEAD + length.toString(16).padStart(2, '0') + parameters);

  test('several capabilities in several parameters: listed in order, not one per parameter', () => {
    const decoded = tsCodec.decodeMessage(open('02 04 0200 4600 02 06 41 04 0000fde9'));
    assert.deepStrictEqual((decoded.message as OpenMessage).capabilities.map((c) => c.type), ['route-refresh', 'enhanced-route-refresh', 'four-octet-as']);
    assert.equal((decoded.message as OpenMessage).paramPerCapability, undefined);
  });

  test('an empty capabilities parameter is allowed', () => {
    const decoded = tsCodec.decodeMessage(open('02 00'));
    assert.deepStrictEqual(decoded, { message: { type: 'open', version: 4, myAs: 65001, holdTime: 180, bgpId: '192.0.2.1', capabilities: [] } });
  });

  test('RFC 9072: the Non-Ext OP Type decides, whatever the Non-Ext OP Len', () => {
    const decoded = tsCodec.decodeMessage(message(1, OPEN_HEAD + '01 ff 0005 02 0002 0200'));
    assert.equal((decoded.message as OpenMessage).extendedParameters, true);
    assert.deepStrictEqual((decoded.message as OpenMessage).capabilities, [{ type: 'route-refresh' }]);
  });

  test('parameters over 255 octets are written in the RFC 9072 form', () => {
    const capabilities: Capability[] = Array.from({ length: 60 }, (_, i) => ({ type: 'unknown', code: 200, data: i.toString(16).padStart(6, '0') }));
    const value: OpenMessage = { type: 'open', version: 4, myAs: 65001, holdTime: 180, bgpId: '192.0.2.1', capabilities };
    const encoded = tsCodec.encodeMessage(value);
    assert.equal(hex(encoded.subarray(28, 34)), 'ffff' + (3 + 300).toString(16).padStart(4, '0') + '0201');
    assert.deepStrictEqual(tsCodec.decodeMessage(encoded), { message: { ...value, extendedParameters: true } });
  });
});

describe('NOTIFICATION', () => {
  test('data is built from shutdownMessage when empty', () => {
    const encoded = tsCodec.encodeMessage({ type: 'notification', code: 6, subcode: 2, data: '', shutdownMessage: 'bye' });
    assert.equal(hex(encoded.subarray(19)), '0602' + '03' + '627965');
  });

  test('non-empty data wins over shutdownMessage', () => {
    const encoded = tsCodec.encodeMessage({ type: 'notification', code: 6, subcode: 2, data: '00', shutdownMessage: 'bye' });
    assert.equal(hex(encoded.subarray(19)), '060200');
  });
});

describe('decodeStream', () => {
  const keepalive = message(4, '');
  const update = message(2, '0000 0000');

  test('reads every whole message and stops at a partial one', () => {
    const stream = Buffer.concat([keepalive, update, keepalive.subarray(0, 10)]);
    const { results, consumed } = tsCodec.decodeStream(stream);
    assert.deepStrictEqual(results, [
      { message: { type: 'keepalive' } },
      { message: { type: 'update', withdrawn: [], attributes: [], nlri: [] } },
    ]);
    assert.equal(consumed, keepalive.length + update.length);
  });

  test('a header error stops the stream as soon as the header is there', () => {
    const badType = Buffer.from(message(9, '00'.repeat(20)).subarray(0, 19));
    const { results, consumed } = tsCodec.decodeStream(Buffer.concat([keepalive, badType]));
    assert.equal(results.length, 2);
    assert.equal(results[1].error?.reason, 'bad-message-type');
    assert.equal(consumed, keepalive.length);
  });

  test('a session reset is included and stops the stream; weaker errors do not', () => {
    const withdrawOnly = message(2, '0000 0004 40010100 18cb0071');
    const reset = message(5, '0001 00 01 00');
    const { results, consumed } = tsCodec.decodeStream(Buffer.concat([withdrawOnly, keepalive, reset, keepalive]));
    assert.deepStrictEqual(results.map((r) => [r.message?.type, r.error?.action]), [
      ['update', 'treat-as-withdraw'],
      ['keepalive', undefined],
      [undefined, 'session-reset'],
    ]);
    assert.equal(consumed, withdrawOnly.length + keepalive.length);
  });

  test('nothing at all', () => {
    assert.deepStrictEqual(tsCodec.decodeStream(new Uint8Array(0)), { results: [], consumed: 0 });
  });
});

describe('encodeMessage refuses what cannot be encoded', () => {
  const update = (attributes: unknown[], nlri: unknown[] = []) => ({ type: 'update', withdrawn: [], attributes, nlri }) as Message;
  const refusals: [string, Message, object?][] = [
    ['an ASN over 65535 in a 2-octet AS_PATH', update([{ type: 'as-path', segments: [{ type: 'sequence', asns: [65536] }] }]), { fourOctetAs: false }],
    ['an ASN over 65535 in a 2-octet AGGREGATOR', update([{ type: 'aggregator', asn: 70000, address: '192.0.2.1' }]), { fourOctetAs: false }],
    ['a bad next hop', update([{ type: 'next-hop', value: '192.0.2.256' }])],
    ['a bad prefix', update([], [{ prefix: '10.0.0.0/33' }])],
    ['a prefix without a length', update([], [{ prefix: '10.0.0.0' }])],
    ['a path identifier outside ADD-PATH', update([], [{ prefix: '10.0.0.0/8', pathId: 1 }])],
    ['an UPDATE over 4,096 octets', update([], Array.from({ length: 1100 }, (_, i) => ({ prefix: `10.${i >> 8}.${i & 255}.0/24` })))],
    ['a bad community', update([{ type: 'communities', values: ['65536:1'] }])],
    ['a bad large community', update([{ type: 'large-communities', values: ['1:2'] }])],
    ['a raw extended community of 7 octets', update([{ type: 'extended-communities', values: [{ type: 'raw', value: '00000000000000' }] }])],
    ['an MP_REACH_NLRI of ipv6 with an IPv4 next hop', update([{ type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['192.0.2.1'], nlri: [] }])],
    ['an unknown family', update([{ type: 'mp-unreach', family: 'ipv9-unicast', nlriData: '' }])],
    ['bad hex', update([{ type: 'unknown', code: 99, flags: 0xc0, data: 'xyz' }])],
    ['a 2-octet my AS over 65535', { type: 'open', version: 4, myAs: 65536, holdTime: 90, bgpId: '192.0.2.1', capabilities: [] }],
    ['a bad BGP identifier', { type: 'open', version: 4, myAs: 1, holdTime: 90, bgpId: '2001:db8::1', capabilities: [] }],
    [
      'a restart time over 4095',
      { type: 'open', version: 4, myAs: 1, holdTime: 90, bgpId: '192.0.2.1', capabilities: [{ type: 'graceful-restart', restarting: false, notification: false, restartTime: 4096, families: [] }] },
    ],
    ['a shutdown message over 255 octets', { type: 'notification', code: 6, subcode: 2, data: '', shutdownMessage: 'x'.repeat(256) }],
    ['a subcode over 255', { type: 'notification', code: 6, subcode: 256, data: '' }],
    ['an unknown message type', { type: 'hello' } as unknown as Message],
  ];
  for (const [name, value, context] of refusals) {
    test(name, () => {
      assert.throws(() => tsCodec.encodeMessage(value, context), WireEncodeError);
    });
  }
});
