/** Longest-prefix matching on text prefixes, comparing the addresses' bytes. */
import { parseIpv4Into, parseIpv6Into } from '../wire/address.ts';

/** The address's 4 or 16 octets, or undefined when it is not an IP address. */
export function addressBytes(address: string): Uint8Array | undefined {
  const v4 = new Uint8Array(4);
  if (parseIpv4Into(address, v4, 0)) return v4;
  const v6 = new Uint8Array(16);
  return parseIpv6Into(address, v6, 0) ? v6 : undefined;
}

/** The prefix length when `prefix` holds the address, else -1. */
export function prefixContains(prefix: string, address: Uint8Array): number {
  const [base, lengthText] = prefix.split('/');
  const bytes = addressBytes(base);
  if (bytes === undefined || bytes.length !== address.length) return -1;
  const length = lengthText === undefined ? bytes.length * 8 : Number(lengthText);
  for (let bit = 0; bit < length; bit += 1) {
    const mask = 0x80 >> (bit & 7);
    if ((bytes[bit >> 3] & mask) !== (address[bit >> 3] & mask)) return -1;
  }
  return length;
}
