/**
 * COMMUNITIES (RFC 1997): 4-octet values printed "high:low" as two decimal 16-bit halves; and
 * LARGE_COMMUNITY (RFC 8092): 12-octet values printed "global:local1:local2".
 */
import { attributeLength, WireEncodeError } from '../errors.ts';
import { readU16, readU32 } from '../reader.ts';
import type { ByteWriter } from '../writer.ts';
import type { AttributeDescriptor } from './descriptor.ts';
import { OPTIONAL, TRANSITIVE } from './descriptor.ts';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Splits "a:b[:c]" into decimal numbers, each at most `max`; throws WireEncodeError otherwise. */
export function decimalParts(text: string, count: number, max: number, what: string): number[] {
  const parts = typeof text === 'string' ? text.split(':') : [];
  const numbers = parts.map((part) => (DECIMAL.test(part) ? Number(part) : -1));
  if (numbers.length !== count || numbers.some((value) => value < 0 || value > max)) {
    throw new WireEncodeError(`${what}: ${JSON.stringify(text)}`);
  }
  return numbers;
}

/** COMMUNITIES, RFC 7606 section 7.8: a non-zero multiple of 4 octets. */
export const communities: AttributeDescriptor<'communities'> = {
  code: 8,
  type: 'communities',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: 'treat-as-withdraw',
  decode: (input) => {
    const length = input.end - input.start;
    if (length === 0 || length % 4 !== 0) return attributeLength('treat-as-withdraw', input.attr(), 8);
    const values: string[] = [];
    for (let at = input.start; at < input.end; at += 4) {
      values.push(`${readU16(input.bytes, at)}:${readU16(input.bytes, at + 2)}`);
    }
    return { type: 'communities', values };
  },
  encode: (attribute, writer: ByteWriter) => {
    for (const value of attribute.values) {
      const [high, low] = decimalParts(value, 2, 0xffff, 'community');
      writer.u16(high, 'community');
      writer.u16(low, 'community');
    }
  },
};

/** LARGE_COMMUNITY, RFC 8092 section 6: a non-zero multiple of 12 octets. */
export const largeCommunities: AttributeDescriptor<'large-communities'> = {
  code: 32,
  type: 'large-communities',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: 'treat-as-withdraw',
  decode: (input) => {
    const length = input.end - input.start;
    if (length === 0 || length % 12 !== 0) return attributeLength('treat-as-withdraw', input.attr(), 32);
    const values: string[] = [];
    for (let at = input.start; at < input.end; at += 12) {
      const bytes = input.bytes;
      values.push(`${readU32(bytes, at)}:${readU32(bytes, at + 4)}:${readU32(bytes, at + 8)}`);
    }
    return { type: 'large-communities', values };
  },
  encode: (attribute, writer) => {
    for (const value of attribute.values) {
      for (const part of decimalParts(value, 3, 0xffffffff, 'large community')) writer.u32(part, 'large community');
    }
  },
};
