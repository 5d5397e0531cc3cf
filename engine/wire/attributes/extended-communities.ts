/**
 * EXTENDED_COMMUNITIES (RFC 4360): 8-octet values, each Type (1), Sub-Type (1), Value (6).
 *
 * - Route target (sub-type 0x02) and route origin (0x03) in the transitive 2-octet AS (type 0x00,
 *   "asn:n" with a 4-octet n), IPv4 (0x01, "192.0.2.1:n") and 4-octet AS (0x02, RFC 5668) forms.
 * - Link bandwidth (sub-type 0x04, draft-ietf-idr-link-bandwidth): type 0x00 transitive or 0x40
 *   non-transitive, a 2-octet AS then an IEEE float32 in bytes per second.
 * - Anything else is `raw`, its 8 octets in hex.
 */
import { formatIpv4 } from '../address.ts';
import { attributeLength, WireEncodeError } from '../errors.ts';
import { toHex } from '../hex.ts';
import { readU16, readU32 } from '../reader.ts';
import type { ExtendedCommunity } from '../types.ts';
import type { ByteWriter } from '../writer.ts';
import { decimalParts } from './communities.ts';
import type { AttributeDescriptor } from './descriptor.ts';
import { OPTIONAL, TRANSITIVE } from './descriptor.ts';

const FORMS = ['as2', 'ipv4', 'as4'] as const;
const ROUTE_TARGET = 0x02;
const ROUTE_ORIGIN = 0x03;
const LINK_BANDWIDTH = 0x04;
const NON_TRANSITIVE_AS2 = 0x40;

const float = new DataView(new ArrayBuffer(4));

function decodeOne(bytes: Uint8Array, at: number): ExtendedCommunity {
  const type = bytes[at];
  const subtype = bytes[at + 1];
  const form = FORMS[type];
  if (form !== undefined && (subtype === ROUTE_TARGET || subtype === ROUTE_ORIGIN)) {
    const value =
      form === 'as2'
        ? `${readU16(bytes, at + 2)}:${readU32(bytes, at + 4)}`
        : `${form === 'ipv4' ? formatIpv4(bytes, at + 2) : readU32(bytes, at + 2)}:${readU16(bytes, at + 6)}`;
    return { type: subtype === ROUTE_TARGET ? 'route-target' : 'route-origin', form, value };
  }
  if ((type === 0 || type === NON_TRANSITIVE_AS2) && subtype === LINK_BANDWIDTH) {
    for (let i = 0; i < 4; i++) float.setUint8(i, bytes[at + 4 + i]);
    const bandwidth = float.getFloat32(0);
    // JSON has no NaN, infinity or negative zero: such a community stays raw, octets intact.
    if (Number.isFinite(bandwidth) && !Object.is(bandwidth, -0)) {
      return { type: 'link-bandwidth', transitive: type === 0, asn: readU16(bytes, at + 2), bandwidth };
    }
  }
  return { type: 'raw', value: toHex(bytes, at, at + 8) };
}

function encodeOne(community: ExtendedCommunity, writer: ByteWriter): void {
  switch (community.type) {
    case 'route-target':
    case 'route-origin': {
      const type = FORMS.indexOf(community.form);
      if (type < 0) throw new WireEncodeError(`extended community form ${JSON.stringify(community.form)}`);
      writer.u8(type, 'extended community type');
      writer.u8(community.type === 'route-target' ? ROUTE_TARGET : ROUTE_ORIGIN, 'extended community sub-type');
      const colon = typeof community.value === 'string' ? community.value.lastIndexOf(':') : -1;
      if (community.form === 'ipv4') {
        writer.ipv4(community.value.slice(0, colon), 'route target address');
        writer.u16(decimalParts(community.value.slice(colon + 1), 1, 0xffff, 'route target')[0], 'route target');
      } else if (community.form === 'as2') {
        const [asn, local] = decimalParts(community.value, 2, 0xffffffff, 'route target');
        writer.u16(asn, 'route target AS');
        writer.u32(local, 'route target');
      } else {
        const [asn, local] = decimalParts(community.value, 2, 0xffffffff, 'route target');
        writer.u32(asn, 'route target AS');
        writer.u16(local, 'route target');
      }
      return;
    }
    case 'link-bandwidth': {
      if (typeof community.bandwidth !== 'number' || !Number.isFinite(community.bandwidth)) {
        throw new WireEncodeError(`link bandwidth ${JSON.stringify(community.bandwidth)}`);
      }
      writer.u8(community.transitive ? 0 : NON_TRANSITIVE_AS2, 'extended community type');
      writer.u8(LINK_BANDWIDTH, 'extended community sub-type');
      writer.u16(community.asn, 'link bandwidth AS');
      // JSON has no negative zero, so the native codec can only ever see +0: write +0 to match it.
      float.setFloat32(0, community.bandwidth === 0 ? 0 : community.bandwidth);
      for (let i = 0; i < 4; i++) writer.u8(float.getUint8(i), 'link bandwidth');
      return;
    }
    case 'raw': {
      const before = writer.length;
      writer.hex(community.value, 'extended community');
      if (writer.length - before !== 8) throw new WireEncodeError(`extended community ${community.value} is not 8 octets`);
      return;
    }
    default:
      throw new WireEncodeError(`extended community type ${JSON.stringify((community as { type: unknown }).type)}`);
  }
}

/** EXTENDED_COMMUNITIES, RFC 7606 section 7.14: a non-zero multiple of 8 octets. */
export const extendedCommunities: AttributeDescriptor<'extended-communities'> = {
  code: 16,
  type: 'extended-communities',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: 'treat-as-withdraw',
  decode: (input) => {
    const length = input.end - input.start;
    if (length === 0 || length % 8 !== 0) return attributeLength('treat-as-withdraw', input.attr(), 16);
    const values: ExtendedCommunity[] = [];
    for (let at = input.start; at < input.end; at += 8) values.push(decodeOne(input.bytes, at));
    return { type: 'extended-communities', values };
  },
  encode: (attribute, writer) => {
    for (const community of attribute.values) encodeOne(community, writer);
  },
};
