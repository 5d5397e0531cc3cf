/**
 * An Eip's `address`: one address, a CIDR, or a range `first-last`, as a span of integers so that
 * pools of either family are counted, compared and walked the same way.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface AddressRange {
  family: IpFamily;
  first: bigint;
  last: bigint;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function ipFamily(address: string): IpFamily | undefined {
  if (isIPv4(address)) return 4;
  if (isIPv6(address)) return 6;
  return undefined;
}

export function addressToBigint(address: string): bigint {
  if (isIPv4(address)) return address.split('.').reduce((sum, octet) => (sum << 8n) | BigInt(Number(octet)), 0n);
  if (!isIPv6(address)) throw new Error(`${address} is not an IP address`);
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = addressToBigint(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The canonical text of an address (RFC 5952 for IPv6). */
export function bigintToAddress(value: bigint, family: IpFamily): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  const groups = [...Array(8).keys()].map((i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952 section 4.2: the longest run of two or more zero groups, the first if tied, becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The canonical text of an address given in any valid form. */
export function canonicalIp(address: string): string | undefined {
  const family = ipFamily(address);
  return family === undefined ? undefined : bigintToAddress(addressToBigint(address), family);
}

export function parseAddressRange(text: string): Parsed<AddressRange> {
  const input = text.trim();
  if (input.includes('/')) {
    const [base, lengthText] = input.split('/');
    const family = ipFamily(base);
    if (family === undefined) return { ok: false, error: `${base} is not an IP address` };
    const bits = BITS[family];
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) {
      return { ok: false, error: `/${lengthText} is not a prefix length from 0 to ${bits}` };
    }
    const hostBits = BigInt(bits - Number(lengthText));
    const first = (addressToBigint(base) >> hostBits) << hostBits;
    return { ok: true, value: { family, first, last: first + (1n << hostBits) - 1n } };
  }
  if (input.includes('-')) {
    const [from, to, ...rest] = input.split('-');
    if (rest.length > 0) return { ok: false, error: `${input} has more than one "-"` };
    const family = ipFamily(from);
    if (family === undefined) return { ok: false, error: `${from} is not an IP address` };
    if (ipFamily(to) !== family) return { ok: false, error: `${to} is not an IPv${family} address` };
    const first = addressToBigint(from);
    const last = addressToBigint(to);
    if (last < first) return { ok: false, error: `${to} comes before ${from}` };
    return { ok: true, value: { family, first, last } };
  }
  const family = ipFamily(input);
  if (family === undefined) return { ok: false, error: `${input} is not an address, a CIDR or a range first-last` };
  const value = addressToBigint(input);
  return { ok: true, value: { family, first: value, last: value } };
}

export function rangeSize(range: AddressRange): bigint {
  return range.last - range.first + 1n;
}

export function rangeContains(range: AddressRange, address: string): boolean {
  if (ipFamily(address) !== range.family) return false;
  const value = addressToBigint(address);
  return value >= range.first && value <= range.last;
}

export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}
