/**
 * Address families (AFI/SAFI) as a descriptor table: names of docs/wire-model.md, and for the two
 * unicast families, whose NLRI the codec decodes, the address size.
 */
import { WireEncodeError } from './errors.ts';
import type { Family } from './types.ts';

export interface FamilyDescriptor {
  name: Family;
  afi: number;
  safi: number;
}

/** A family whose prefixes the codec reads and writes (RFC 4760 section 5). */
export interface UnicastFamily extends FamilyDescriptor {
  name: 'ipv4-unicast' | 'ipv6-unicast';
  /** Address size in octets, and so the longest prefix is 8 times that. */
  addressLength: 4 | 16;
}

export const IPV4_UNICAST: UnicastFamily = { name: 'ipv4-unicast', afi: 1, safi: 1, addressLength: 4 };
export const IPV6_UNICAST: UnicastFamily = { name: 'ipv6-unicast', afi: 2, safi: 1, addressLength: 16 };

const FAMILIES: FamilyDescriptor[] = [
  IPV4_UNICAST,
  IPV6_UNICAST,
  { name: 'ipv4-multicast', afi: 1, safi: 2 },
  { name: 'ipv6-multicast', afi: 2, safi: 2 },
  { name: 'ipv4-labeled-unicast', afi: 1, safi: 4 },
  { name: 'ipv6-labeled-unicast', afi: 2, safi: 4 },
  { name: 'ipv4-vpn', afi: 1, safi: 128 },
  { name: 'ipv6-vpn', afi: 2, safi: 128 },
  { name: 'l2vpn-evpn', afi: 25, safi: 70 },
  { name: 'ipv4-flowspec', afi: 1, safi: 133 },
  { name: 'ipv6-flowspec', afi: 2, safi: 133 },
  { name: 'bgp-ls', afi: 16388, safi: 71 },
];

const BY_NAME = new Map(FAMILIES.map((family) => [family.name, family]));
const BY_CODES = new Map(FAMILIES.map((family) => [family.afi * 0x10000 + family.safi, family]));

/** The name of an AFI/SAFI pair: from the table, else "afi/safi" in decimal. */
export function familyName(afi: number, safi: number): Family {
  return BY_CODES.get(afi * 0x10000 + safi)?.name ?? `${afi}/${safi}`;
}

/** The unicast descriptor of an AFI/SAFI pair, if it is one. */
export function unicastFamily(afi: number, safi: number): UnicastFamily | undefined {
  if (safi !== 1) return undefined;
  return afi === 1 ? IPV4_UNICAST : afi === 2 ? IPV6_UNICAST : undefined;
}

/** AFI and SAFI of a family name (a table name or "afi/safi"); throws WireEncodeError otherwise. */
export function familyCodes(family: Family, safiLimit = 0xff): { afi: number; safi: number } {
  const known = BY_NAME.get(family);
  if (known !== undefined) return { afi: known.afi, safi: known.safi };
  const match = typeof family === 'string' ? /^(\d{1,5})\/(\d{1,5})$/.exec(family) : null;
  if (match !== null) {
    const afi = Number(match[1]);
    const safi = Number(match[2]);
    if (afi <= 0xffff && safi <= safiLimit) return { afi, safi };
  }
  throw new WireEncodeError(`unknown address family ${JSON.stringify(family)}`);
}
