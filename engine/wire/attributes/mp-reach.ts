/**
 * MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 sections 3 and 4):
 *
 *     MP_REACH_NLRI                                    MP_UNREACH_NLRI
 *     +-----------------------------------------+      +-----------------------------------------+
 *     | Address Family Identifier (2 octets)    |      | Address Family Identifier (2 octets)    |
 *     +-----------------------------------------+      +-----------------------------------------+
 *     | Subsequent AFI (1 octet)                |      | Subsequent AFI (1 octet)                |
 *     +-----------------------------------------+      +-----------------------------------------+
 *     | Length of Next Hop Address (1 octet)    |      | Withdrawn Routes (variable)             |
 *     +-----------------------------------------+      +-----------------------------------------+
 *     | Network Address of Next Hop (variable)  |
 *     +-----------------------------------------+
 *     | Reserved (1 octet)                      |
 *     +-----------------------------------------+
 *     | Network Layer Reachability Information  |
 *     +-----------------------------------------+
 *
 * For the unicast families the next hop is 4 octets (IPv4, ipv4-unicast only), 16 (one IPv6
 * address) or 32 (global and link-local, RFC 4760 section 3 and RFC 2545; for IPv4 routes
 * RFC 8950 section 3), and the prefixes are decoded. Other families keep their octets as hex.
 */
import { formatIpv4, formatIpv6 } from '../address.ts';
import { malformedMpReach, malformedMpUnreach, WireEncodeError } from '../errors.ts';
import { familyCodes, familyName, IPV4_UNICAST, unicastFamily } from '../families.ts';
import { toHex } from '../hex.ts';
import { encodePrefixes } from '../prefix.ts';
import { readU16 } from '../reader.ts';
import type { Family } from '../types.ts';
import { ByteWriter } from '../writer.ts';
import type { AttributeDescriptor, AttributeOf } from './descriptor.ts';
import { OPTIONAL } from './descriptor.ts';

/** The next hops of a unicast MP_REACH_NLRI, by next-hop length. */
function decodeNextHops(bytes: Uint8Array, start: number, length: number, ipv4Allowed: boolean): string[] | undefined {
  if (length === 4 && ipv4Allowed) return [formatIpv4(bytes, start)];
  if (length === 16) return [formatIpv6(bytes, start)];
  if (length === 32) return [formatIpv6(bytes, start), formatIpv6(bytes, start + 16)];
  return undefined;
}

/** Writes the next hops of a unicast family, length octet first. */
export function encodeNextHops(nextHops: string[], family: Family, writer: ByteWriter): void {
  const ipv4 = new ByteWriter(4);
  if (family === IPV4_UNICAST.name && nextHops.length === 1 && !nextHops[0].includes(':')) {
    ipv4.ipv4(nextHops[0], 'MP_REACH_NLRI next hop');
    writer.u8(4, 'next-hop length');
    writer.bytes(ipv4.view());
    return;
  }
  if (nextHops.length !== 1 && nextHops.length !== 2) {
    throw new WireEncodeError(`${family} MP_REACH_NLRI takes one or two next hops, not ${nextHops.length}`);
  }
  writer.u8(16 * nextHops.length, 'next-hop length');
  for (const nextHop of nextHops) writer.ipv6(nextHop, 'MP_REACH_NLRI next hop');
}

/** MP_REACH_NLRI: RFC 7606 sections 5.3 and 7.11 give its malformations. */
export const mpReach: AttributeDescriptor<'mp-reach'> = {
  code: 14,
  type: 'mp-reach',
  flags: OPTIONAL,
  flagsAction: 'session-reset',
  decode: (input) => {
    const { bytes, start, end } = input;
    if (end - start < 4) return malformedMpReach('session-reset', input.attr());
    const afi = readU16(bytes, start);
    const safi = bytes[start + 2];
    const family = familyName(afi, safi);
    const nextHopEnd = start + 4 + bytes[start + 3];
    // The next hop and the reserved octet after it must fit.
    if (nextHopEnd + 1 > end) return malformedMpReach('afi-safi-disable', input.attr(), family);
    const unicast = unicastFamily(afi, safi);
    if (unicast === undefined) {
      return { type: 'mp-reach', family, nextHopData: toHex(bytes, start + 4, nextHopEnd), nlriData: toHex(bytes, nextHopEnd + 1, end) };
    }
    const nextHops = decodeNextHops(bytes, start + 4, nextHopEnd - start - 4, unicast === IPV4_UNICAST);
    if (nextHops === undefined) return malformedMpReach('afi-safi-disable', input.attr(), family);
    const nlri = input.nlri.read('mp-reach', bytes, nextHopEnd + 1, end, unicast, input.context.addPath.has(family));
    if (nlri === undefined) return malformedMpReach('afi-safi-disable', input.attr(), family);
    return { type: 'mp-reach', family, nextHops, nlri };
  },
  encode: (attribute, writer, context) => {
    const { afi, safi } = familyCodes(attribute.family);
    writer.u16(afi, 'AFI');
    writer.u8(safi, 'SAFI');
    if ('nextHops' in attribute) {
      const unicast = unicastFamily(afi, safi);
      if (unicast === undefined) throw new WireEncodeError(`${attribute.family} MP_REACH_NLRI takes nextHopData and nlriData`);
      encodeNextHops(attribute.nextHops, unicast.name, writer);
      writer.u8(0, 'reserved');
      encodePrefixes(writer, attribute.nlri, unicast, context.addPath.has(unicast.name));
    } else {
      const nextHop = new ByteWriter();
      nextHop.hex(attribute.nextHopData, 'nextHopData');
      writer.u8(nextHop.length, 'next-hop length');
      writer.bytes(nextHop.view());
      writer.u8(0, 'reserved');
      writer.hex(attribute.nlriData, 'nlriData');
    }
  },
};

/** MP_UNREACH_NLRI: RFC 7606 section 5.3. */
export const mpUnreach: AttributeDescriptor<'mp-unreach'> = {
  code: 15,
  type: 'mp-unreach',
  flags: OPTIONAL,
  flagsAction: 'session-reset',
  decode: (input) => {
    const { bytes, start, end } = input;
    if (end - start < 3) return malformedMpUnreach('session-reset', input.attr());
    const afi = readU16(bytes, start);
    const safi = bytes[start + 2];
    const family = familyName(afi, safi);
    const unicast = unicastFamily(afi, safi);
    if (unicast === undefined) return { type: 'mp-unreach', family, nlriData: toHex(bytes, start + 3, end) };
    const withdrawn = input.nlri.read('mp-unreach', bytes, start + 3, end, unicast, input.context.addPath.has(family));
    if (withdrawn === undefined) return malformedMpUnreach('afi-safi-disable', input.attr(), family);
    return { type: 'mp-unreach', family, withdrawn };
  },
  encode: (attribute: AttributeOf<'mp-unreach'>, writer, context) => {
    const { afi, safi } = familyCodes(attribute.family);
    writer.u16(afi, 'AFI');
    writer.u8(safi, 'SAFI');
    if ('withdrawn' in attribute) {
      const unicast = unicastFamily(afi, safi);
      if (unicast === undefined) throw new WireEncodeError(`${attribute.family} MP_UNREACH_NLRI takes nlriData`);
      encodePrefixes(writer, attribute.withdrawn, unicast, context.addPath.has(unicast.name));
    } else {
      writer.hex(attribute.nlriData, 'nlriData');
    }
  },
};
