/**
 * Attributes of one fixed shape: ORIGIN, NEXT_HOP, MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR
 * (RFC 4271 section 5.1), AS4_AGGREGATOR (RFC 6793), ORIGINATOR_ID and CLUSTER_LIST (RFC 4456).
 * Length errors take the action RFC 7606 section 7 gives each.
 */
import { formatIpv4 } from '../address.ts';
import { attributeLength, invalidOrigin, WireEncodeError } from '../errors.ts';
import { readU32, readUint } from '../reader.ts';
import type { ErrorAction } from '../types.ts';
import type { AttributeDescriptor, AttributeInput } from './descriptor.ts';
import { OPTIONAL, TRANSITIVE } from './descriptor.ts';

const ORIGINS = ['igp', 'egp', 'incomplete'] as const;

function lengthIs(input: AttributeInput, length: number): boolean {
  return input.end - input.start === length;
}

const WITHDRAW: ErrorAction = 'treat-as-withdraw';
const DISCARD: ErrorAction = 'attribute-discard';

/** ORIGIN, RFC 7606 section 7.1. */
export const origin: AttributeDescriptor<'origin'> = {
  code: 1,
  type: 'origin',
  flags: TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) => {
    if (!lengthIs(input, 1)) return attributeLength(WITHDRAW, input.attr(), 1);
    const value = ORIGINS[input.bytes[input.start]];
    return value === undefined ? invalidOrigin(input.attr()) : { type: 'origin', value };
  },
  encode: (attribute, writer) => {
    const value = ORIGINS.indexOf(attribute.value);
    if (value < 0) throw new WireEncodeError(`ORIGIN ${JSON.stringify(attribute.value)}`);
    writer.u8(value, 'ORIGIN');
  },
};

/** NEXT_HOP, RFC 7606 section 7.3. */
export const nextHop: AttributeDescriptor<'next-hop'> = {
  code: 3,
  type: 'next-hop',
  flags: TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) =>
    lengthIs(input, 4) ? { type: 'next-hop', value: formatIpv4(input.bytes, input.start) } : attributeLength(WITHDRAW, input.attr(), 3),
  encode: (attribute, writer) => writer.ipv4(attribute.value, 'NEXT_HOP'),
};

/** MULTI_EXIT_DISC, RFC 7606 section 7.4. */
export const med: AttributeDescriptor<'med'> = {
  code: 4,
  type: 'med',
  flags: OPTIONAL,
  flagsAction: WITHDRAW,
  decode: (input) =>
    lengthIs(input, 4) ? { type: 'med', value: readU32(input.bytes, input.start) } : attributeLength(WITHDRAW, input.attr(), 4),
  encode: (attribute, writer) => writer.u32(attribute.value, 'MED'),
};

/** LOCAL_PREF, RFC 7606 section 7.5. */
export const localPref: AttributeDescriptor<'local-pref'> = {
  code: 5,
  type: 'local-pref',
  flags: TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) =>
    lengthIs(input, 4)
      ? { type: 'local-pref', value: readU32(input.bytes, input.start) }
      : attributeLength(WITHDRAW, input.attr(), 5),
  encode: (attribute, writer) => writer.u32(attribute.value, 'LOCAL_PREF'),
};

/** ATOMIC_AGGREGATE, RFC 7606 section 7.6. */
export const atomicAggregate: AttributeDescriptor<'atomic-aggregate'> = {
  code: 6,
  type: 'atomic-aggregate',
  flags: TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) => (lengthIs(input, 0) ? { type: 'atomic-aggregate' } : attributeLength(DISCARD, input.attr(), 6)),
  encode: () => {},
};

/** AGGREGATOR, RFC 7606 section 7.7: its AS number is 2 octets unless the session has 4-octet AS. */
export const aggregator: AttributeDescriptor<'aggregator'> = {
  code: 7,
  type: 'aggregator',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) => {
    const asSize = input.context.asSize;
    if (!lengthIs(input, asSize + 4)) return attributeLength(DISCARD, input.attr(), 7);
    return {
      type: 'aggregator',
      asn: readUint(input.bytes, input.start, asSize),
      address: formatIpv4(input.bytes, input.start + asSize),
    };
  },
  encode: (attribute, writer, context) => {
    writer.uint(attribute.asn, context.asSize, 'AGGREGATOR AS');
    writer.ipv4(attribute.address, 'AGGREGATOR address');
  },
};

/** AS4_AGGREGATOR, RFC 6793 sections 4.2.1 and 6. */
export const as4Aggregator: AttributeDescriptor<'as4-aggregator'> = {
  code: 18,
  type: 'as4-aggregator',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: WITHDRAW,
  decode: (input) =>
    lengthIs(input, 8)
      ? { type: 'as4-aggregator', asn: readU32(input.bytes, input.start), address: formatIpv4(input.bytes, input.start + 4) }
      : attributeLength(DISCARD, input.attr(), 18),
  encode: (attribute, writer) => {
    writer.u32(attribute.asn, 'AS4_AGGREGATOR AS');
    writer.ipv4(attribute.address, 'AS4_AGGREGATOR address');
  },
};

/** ORIGINATOR_ID, RFC 4456 section 8, RFC 7606 section 7.9. */
export const originatorId: AttributeDescriptor<'originator-id'> = {
  code: 9,
  type: 'originator-id',
  flags: OPTIONAL,
  flagsAction: WITHDRAW,
  decode: (input) =>
    lengthIs(input, 4)
      ? { type: 'originator-id', value: formatIpv4(input.bytes, input.start) }
      : attributeLength(WITHDRAW, input.attr(), 9),
  encode: (attribute, writer) => writer.ipv4(attribute.value, 'ORIGINATOR_ID'),
};

/** CLUSTER_LIST, RFC 4456 section 8, RFC 7606 section 7.10. */
export const clusterList: AttributeDescriptor<'cluster-list'> = {
  code: 10,
  type: 'cluster-list',
  flags: OPTIONAL,
  flagsAction: WITHDRAW,
  decode: (input) => {
    const length = input.end - input.start;
    if (length === 0 || length % 4 !== 0) return attributeLength(WITHDRAW, input.attr(), 10);
    const values: string[] = [];
    for (let at = input.start; at < input.end; at += 4) values.push(formatIpv4(input.bytes, at));
    return { type: 'cluster-list', values };
  },
  encode: (attribute, writer) => {
    for (const value of attribute.values) writer.ipv4(value, 'CLUSTER_LIST');
  },
};
