/**
 * Well-formed UPDATE pieces that the malformed cases start from, and the expected UPDATE errors of
 * docs/wire-errors.md.
 */
import {
  attribute,
  ipv4,
  ipv6,
  mpReachValue,
  mpUnreachValue,
  u16,
  u32,
  update,
  v4,
  v6,
  type Bytes,
} from './bytes.ts';
import { wireError, type ErrorExtras } from './case.ts';
import type { ErrorAction, Family } from '../../../engine/wire/types.ts';

export const ORIGIN = attribute(0x40, 1, [0]);
export const AS_PATH = attribute(0x40, 2, [2, 1, ...u32(65001)]);
/** AS_PATH on a session without the 4-octet AS capability. */
export const AS_PATH_2 = attribute(0x40, 2, [2, 1, ...u16(65001)]);
export const NEXT_HOP = attribute(0x40, 3, ipv4('192.0.2.1'));
export const NLRI = v4('198.51.100.0/24');

export const IPV6_NEXT_HOP = ipv6('2001:db8::1');
export const IPV6_NLRI = v6('2001:db8:1::/48');
export const MP_REACH = attribute(0x80, 14, mpReachValue(2, 1, IPV6_NEXT_HOP, IPV6_NLRI));
export const MP_UNREACH = attribute(0x80, 15, mpUnreachValue(2, 1, IPV6_NLRI));

/** ORIGIN, AS_PATH, NEXT_HOP, then `extra`, announcing one IPv4 prefix in the NLRI field. */
export const announce = (extra: Bytes, asPath = AS_PATH): Bytes =>
  update({ attributes: [...ORIGIN, ...asPath, ...NEXT_HOP, ...extra], nlri: NLRI });

/** MP_REACH_NLRI (of the given value) first, then ORIGIN and AS_PATH (RFC 7606 section 5.1). */
export const announceMp = (mpReach: Bytes, extra: Bytes = []): Bytes =>
  update({ attributes: [...mpReach, ...ORIGIN, ...AS_PATH, ...extra] });

/** Every attribute of docs/wire-model.md's descriptor table, with its default flags and a valid value. */
export interface KnownAttribute {
  name: string;
  code: number;
  flags: number;
  value: Bytes;
}

export const KNOWN_ATTRIBUTES: KnownAttribute[] = [
  { name: 'origin', code: 1, flags: 0x40, value: [0] },
  { name: 'as-path', code: 2, flags: 0x40, value: [2, 1, ...u32(65001)] },
  { name: 'next-hop', code: 3, flags: 0x40, value: ipv4('192.0.2.1') },
  { name: 'med', code: 4, flags: 0x80, value: u32(100) },
  { name: 'local-pref', code: 5, flags: 0x40, value: u32(100) },
  { name: 'atomic-aggregate', code: 6, flags: 0x40, value: [] },
  { name: 'aggregator', code: 7, flags: 0xc0, value: [...u32(65001), ...ipv4('192.0.2.1')] },
  { name: 'communities', code: 8, flags: 0xc0, value: [...u16(65001), ...u16(1)] },
  { name: 'originator-id', code: 9, flags: 0x80, value: ipv4('192.0.2.9') },
  { name: 'cluster-list', code: 10, flags: 0x80, value: ipv4('192.0.2.10') },
  { name: 'mp-reach', code: 14, flags: 0x80, value: mpReachValue(2, 1, IPV6_NEXT_HOP, IPV6_NLRI) },
  { name: 'mp-unreach', code: 15, flags: 0x80, value: mpUnreachValue(2, 1, IPV6_NLRI) },
  { name: 'extended-communities', code: 16, flags: 0xc0, value: [0, 2, ...u16(65001), ...u32(100)] },
  { name: 'as4-path', code: 17, flags: 0xc0, value: [2, 1, ...u32(4200000001)] },
  { name: 'as4-aggregator', code: 18, flags: 0xc0, value: [...u32(4200000001), ...ipv4('192.0.2.1')] },
  { name: 'large-communities', code: 32, flags: 0xc0, value: [...u32(65001), ...u32(1), ...u32(2)] },
];

/**
 * A well-formed UPDATE around one attribute: the mandatory ones are replaced by it, the others
 * follow them; MP_REACH_NLRI leads an IPv6 announcement, MP_UNREACH_NLRI stands alone.
 */
export function around(code: number, encoded: Bytes): Bytes {
  switch (code) {
    case 1:
      return update({ attributes: [...encoded, ...AS_PATH, ...NEXT_HOP], nlri: NLRI });
    case 2:
      return update({ attributes: [...ORIGIN, ...encoded, ...NEXT_HOP], nlri: NLRI });
    case 3:
      return update({ attributes: [...ORIGIN, ...AS_PATH, ...encoded], nlri: NLRI });
    case 14:
      return announceMp(encoded);
    case 15:
      return update({ attributes: encoded });
    default:
      return announce(encoded);
  }
}

const attributeError = (action: ErrorAction, subcode: number, reason: string, data: Bytes | string, extras: ErrorExtras) =>
  wireError(action, 3, subcode, reason, data, extras);

export const malformedAttributeList = () => wireError('session-reset', 3, 1, 'malformed-attribute-list', '');
export const invalidNetworkField = () => wireError('session-reset', 3, 10, 'invalid-network-field', '');
export const duplicateMpAttribute = (code: number) => attributeError('session-reset', 1, 'duplicate-mp-attribute', '', { attribute: code });
export const unrecognizedWellKnown = (attr: Bytes) =>
  attributeError('session-reset', 2, 'unrecognized-well-known-attribute', attr, { attribute: attr[1] });
export const attributeFlags = (action: ErrorAction, attr: Bytes) =>
  attributeError(action, 4, 'attribute-flags', attr, { attribute: attr[1] });
export const attributeOverrun = (code?: number) =>
  attributeError('treat-as-withdraw', 1, 'attribute-overrun', '', code === undefined ? {} : { attribute: code });
export const malformedMpReach = (action: ErrorAction, attr: Bytes, family?: Family) =>
  attributeError(action, 9, 'malformed-mp-reach', attr, { attribute: 14, family });
export const malformedMpUnreach = (action: ErrorAction, attr: Bytes, family?: Family) =>
  attributeError(action, 9, 'malformed-mp-unreach', attr, { attribute: 15, family });
export const invalidOrigin = (attr: Bytes) => attributeError('treat-as-withdraw', 6, 'invalid-origin', attr, { attribute: 1 });
export const attributeLength = (action: ErrorAction, attr: Bytes) =>
  attributeError(action, 5, 'attribute-length', attr, { attribute: attr[1] });
export const malformedAsPath = () => attributeError('treat-as-withdraw', 11, 'malformed-as-path', '', { attribute: 2 });
export const malformedAs4Path = (attr: Bytes) => attributeError('attribute-discard', 9, 'malformed-as4-path', attr, { attribute: 17 });
export const duplicateAttribute = (code: number) => attributeError('attribute-discard', 1, 'duplicate-attribute', '', { attribute: code });
export const missingWellKnown = (code: number) =>
  attributeError('treat-as-withdraw', 3, 'missing-well-known-attribute', [code], { attribute: code });
