/**
 * Prefixes of the two unicast families as the RIB keys them: the address masked to its length and
 * printed in the wire model's text form (dotted quad, RFC 5952). A peer may send bits past the
 * length (the codec keeps them so bytes survive a round trip); the RIB ignores them, so that
 * `10.0.0.1/24` and `10.0.0.0/24` are one destination.
 */
import { formatIpv4, formatIpv6, parseIpv4Into, parseIpv6Into } from '../wire/address.ts';
import type { Family } from '../wire/types.ts';

export type UnicastFamilyName = 'ipv4-unicast' | 'ipv6-unicast';

export interface ParsedPrefix {
  family: UnicastFamilyName;
  /** 16 octets in network order, masked to `length`; an IPv4 address fills the first 4. */
  address: Uint8Array;
  length: number;
}

/** Parses `address/length`; undefined when it is not an IPv4 or IPv6 prefix. */
export function parsePrefix(text: string): ParsedPrefix | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  const address = new Uint8Array(16);
  const addressText = text.slice(0, slash);
  let family: UnicastFamilyName;
  if (parseIpv4Into(addressText, address, 0)) family = 'ipv4-unicast';
  else if (parseIpv6Into(addressText, address, 0)) family = 'ipv6-unicast';
  else return undefined;
  if (length > maxLength(family)) return undefined;
  maskInPlace(address, length);
  return { family, address, length };
}

/** The canonical text of a parsed prefix. */
export function formatPrefix(prefix: ParsedPrefix): string {
  const address = prefix.family === 'ipv4-unicast' ? formatIpv4(prefix.address, 0) : formatIpv6(prefix.address, 0);
  return `${address}/${prefix.length}`;
}

/** The RIB's key text of a prefix, or undefined when it is not one of `family`. */
export function canonicalPrefix(text: string, family: Family): string | undefined {
  if (family === 'ipv4-unicast') return canonicalIpv4Prefix(text);
  const parsed = parsePrefix(text);
  return parsed !== undefined && parsed.family === family ? formatPrefix(parsed) : undefined;
}

/**
 * The IPv4 case of `canonicalPrefix`: every received IPv4 prefix comes this way. It answers with
 * the text itself when that is canonical already, as a received prefix nearly always is, so no new
 * string is made.
 */
function canonicalIpv4Prefix(text: string): string | undefined {
  const packed = packedIpv4Prefix(text);
  if (packed < 0) return undefined;
  const length = packed % 64;
  const address = (packed - length) / 64;
  const masked = maskIpv4(address, length);
  const lengthDigits = text.length - text.lastIndexOf('/') - 1;
  if (masked === address && lengthDigits === String(length).length) return text;
  return formatIpv4Prefix(masked, length);
}

/**
 * An IPv4 prefix text read in one pass, as address × 64 + length (the address as written, not
 * masked), or -1 when it is not one. It takes what `parsePrefix` takes: four decimal octets without
 * leading zeros, a length of one to three digits and at most 32.
 */
export function packedIpv4Prefix(text: string): number {
  let address = 0;
  let value = 0;
  let digits = 0;
  let dots = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x30 && code <= 0x39) {
      if (digits > 0 && value === 0 && dots < 4) return -1;
      value = value * 10 + code - 0x30;
      digits += 1;
      if (value > 255 && dots < 4) return -1;
    } else if ((code === 0x2e && dots < 3) || (code === 0x2f && dots === 3)) {
      if (digits === 0) return -1;
      address = address * 256 + value;
      value = 0;
      digits = 0;
      dots += 1;
    } else {
      return -1;
    }
  }
  if (dots !== 4 || digits === 0 || digits > 3 || value > 32) return -1;
  return address * 64 + value;
}

/** The address with the bits past `length` cleared, as an unsigned 32-bit number. */
export function maskIpv4(address: number, length: number): number {
  return length === 0 ? 0 : (address & (-1 << (32 - length))) >>> 0;
}

/** The prefix of a route column: `octets` past the length are ignored. */
export function prefixFromOctets(family: UnicastFamilyName, octets: Uint8Array, offset: number, length: number): string {
  if (family === 'ipv4-unicast') return ipv4PrefixFromOctets(octets, offset, length);
  const address = octets.slice(offset, offset + 16);
  maskInPlace(address, length);
  return formatPrefix({ family, address, length });
}

/** The IPv4 case of `prefixFromOctets`, on one 32-bit number: every received IPv4 route comes this way. */
function ipv4PrefixFromOctets(octets: Uint8Array, offset: number, length: number): string {
  const address = ((octets[offset] << 24) | (octets[offset + 1] << 16) | (octets[offset + 2] << 8) | octets[offset + 3]) >>> 0;
  return formatIpv4Prefix(maskIpv4(address, length), length);
}

/** The canonical text of an IPv4 prefix whose address, already masked, is one unsigned 32-bit number. */
function formatIpv4Prefix(masked: number, length: number): string {
  return `${masked >>> 24}.${(masked >>> 16) & 0xff}.${(masked >>> 8) & 0xff}.${masked & 0xff}/${length}`;
}

export function maxLength(family: UnicastFamilyName): number {
  return family === 'ipv4-unicast' ? 32 : 128;
}

/** `prefix` lies inside `range`: same family, at least as long, and the same first `range.length` bits. */
export function covers(range: ParsedPrefix, prefix: ParsedPrefix): boolean {
  if (range.family !== prefix.family || prefix.length < range.length) return false;
  const whole = range.length >> 3;
  for (let i = 0; i < whole; i++) if (range.address[i] !== prefix.address[i]) return false;
  const bits = range.length & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (range.address[whole] & mask) === (prefix.address[whole] & mask);
}

function maskInPlace(address: Uint8Array, length: number): void {
  const whole = length >> 3;
  const bits = length & 7;
  if (bits !== 0) address[whole] &= (0xff << (8 - bits)) & 0xff;
  address.fill(0, whole + (bits !== 0 ? 1 : 0));
}

/** Whether `text` is an IPv4 address (dotted quad). */
export function isIpv4Address(text: string): boolean {
  return parseIpv4Into(text, new Uint8Array(4), 0);
}

/** Whether `text` is an IPv6 address. */
export function isIpv6Address(text: string): boolean {
  return parseIpv6Into(text, new Uint8Array(16), 0);
}
