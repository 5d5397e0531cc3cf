/**
 * Addresses, prefixes and families as the contract prints them (docs/wire-model.md, "Text forms"),
 * written out here rather than taken from a codec, with their fast-check arbitraries.
 */
import fc from 'fast-check';
import type { Family, Prefix } from '../../../engine/wire/types.ts';
import { toHex } from '../compare.ts';

export const byte = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });

export const hexOf = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength }).map(toHex);

export const formatIpv4 = (bytes: ArrayLike<number>): string => Array.from(bytes).slice(0, 4).join('.');

/** RFC 5952: lowercase, the longest run of two or more zero groups compressed (the first on a tie). */
export function formatIpv6(bytes: ArrayLike<number>): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(Array.from(bytes).slice(12))}`;
  }
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > best.length) best = { start, length: end - start };
  }
  const text = (list: number[]) => list.map((group) => group.toString(16)).join(':');
  if (best.start < 0) return text(groups);
  return `${text(groups.slice(0, best.start))}::${text(groups.slice(best.start + best.length))}`;
}

export const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIpv4);

/** IPv6 addresses with many zero groups, so that compression and its ties come up often. */
export const ipv6 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0xffff), u16), { minLength: 8, maxLength: 8 })
  .map((groups) => formatIpv6(groups.flatMap((group) => [group >> 8, group & 0xff])));

/** A prefix of `bits`-bit addresses: the octets on the wire kept as they are, zeros after. */
export function prefix(bits: 32 | 128, withPathId: boolean): fc.Arbitrary<Prefix> {
  return fc.integer({ min: 0, max: bits }).chain((length) =>
    fc.tuple(fc.uint8Array({ minLength: Math.ceil(length / 8), maxLength: Math.ceil(length / 8) }), u32).map(([octets, pathId]) => {
      const address = new Uint8Array(bits / 8);
      address.set(octets);
      const text = `${bits === 32 ? formatIpv4(address) : formatIpv6(address)}/${length}`;
      return withPathId ? { prefix: text, pathId } : { prefix: text };
    }),
  );
}

const NAMED_FAMILIES: [number, number, Family][] = [
  [1, 1, 'ipv4-unicast'],
  [2, 1, 'ipv6-unicast'],
  [1, 2, 'ipv4-multicast'],
  [2, 2, 'ipv6-multicast'],
  [1, 4, 'ipv4-labeled-unicast'],
  [2, 4, 'ipv6-labeled-unicast'],
  [1, 128, 'ipv4-vpn'],
  [2, 128, 'ipv6-vpn'],
  [25, 70, 'l2vpn-evpn'],
  [1, 133, 'ipv4-flowspec'],
  [2, 133, 'ipv6-flowspec'],
  [16388, 71, 'bgp-ls'],
];

export function familyName(afi: number, safi: number): Family {
  return NAMED_FAMILIES.find(([a, s]) => a === afi && s === safi)?.[2] ?? `${afi}/${safi}`;
}

/** Any family with a 1-octet SAFI (or 2-octet, for extended next hop), named ones often. */
export function family(safiMax = 0xff): fc.Arbitrary<Family> {
  return fc.oneof(
    fc.constantFrom(...NAMED_FAMILIES.map(([, , name]) => name)),
    fc.tuple(u16, fc.integer({ min: 0, max: safiMax })).map(([afi, safi]) => familyName(afi, safi)),
  );
}

/** A family whose MP attributes keep their NLRI as hex: anything but the two unicast ones. */
export const opaqueFamily = family().filter((name) => name !== 'ipv4-unicast' && name !== 'ipv6-unicast');
