/**
 * Arbitrary path attributes in their canonical decoded form: values that decode(encode(value))
 * gives back unchanged (docs/wire-model.md, "Path attributes"). Lists stay short so no value
 * needs the Extended Length form by its size.
 */
import fc from 'fast-check';
import type { AsPathSegment, ExtendedCommunity, PathAttribute, SessionContext } from '../../../engine/wire/types.ts';
import { byte, hexOf, ipv4, ipv6, opaqueFamily, prefix, u16, u32 } from './addresses.ts';

/** Adds the flag deviations, after the value's own fields as types.ts orders them. */
function deviating<T extends object>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(arbitrary, fc.boolean(), fc.boolean()).map(([value, partial, extendedLength]) => ({
    ...value,
    ...(partial ? { partial: true } : {}),
    ...(extendedLength ? { extendedLength: true } : {}),
  }));
}

const segment = (asn: fc.Arbitrary<number>): fc.Arbitrary<AsPathSegment> =>
  fc.record({
    type: fc.constantFrom('set', 'sequence', 'confed-sequence', 'confed-set'),
    asns: fc.array(asn, { minLength: 1, maxLength: 8 }),
  });

const community = fc.tuple(u16, u16).map(([high, low]) => `${high}:${low}`);
const largeCommunity = fc.tuple(u32, u32, u32).map((parts) => parts.join(':'));

/** True when 8 octets would decode as one of the typed extended communities. */
function isTyped(octets: Uint8Array): boolean {
  const [type, subtype] = octets;
  if (type <= 0x02 && (subtype === 0x02 || subtype === 0x03)) return true;
  return (type === 0x00 || type === 0x40) && subtype === 0x04;
}

/** A finite float32 that is not negative zero: what a link bandwidth community carries as a number. */
const bandwidth = fc.float({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0));

const extendedCommunity: fc.Arbitrary<ExtendedCommunity> = fc.oneof(
  fc.record({
    type: fc.constantFrom('route-target', 'route-origin'),
    form: fc.constant('as2'),
    value: fc.tuple(u16, u32).map(([global, local]) => `${global}:${local}`),
  }),
  fc.record({
    type: fc.constantFrom('route-target', 'route-origin'),
    form: fc.constant('ipv4'),
    value: fc.tuple(ipv4, u16).map(([global, local]) => `${global}:${local}`),
  }),
  fc.record({
    type: fc.constantFrom('route-target', 'route-origin'),
    form: fc.constant('as4'),
    value: fc.tuple(u32, u16).map(([global, local]) => `${global}:${local}`),
  }),
  fc.record({ type: fc.constant('link-bandwidth'), transitive: fc.boolean(), asn: u16, bandwidth }),
  fc
    .uint8Array({ minLength: 8, maxLength: 8 })
    .filter((octets) => !isTyped(octets))
    .map((octets) => ({ type: 'raw', value: Buffer.from(octets).toString('hex') })),
) as fc.Arbitrary<ExtendedCommunity>;

const KNOWN_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 32]);

/** An attribute this codec does not know: optional (else it is an error), any other flag bits. */
const unknownAttribute: fc.Arbitrary<PathAttribute> = fc.record({
  type: fc.constant('unknown'),
  code: byte.filter((code) => !KNOWN_CODES.has(code)),
  flags: byte.map((flags) => flags | 0x80),
  data: hexOf(0, 24),
}) as fc.Arbitrary<PathAttribute>;

/** The attributes an UPDATE may carry besides NEXT_HOP and the MP ones, by type, for a session. */
export function plainAttributes(context: SessionContext): Record<string, fc.Arbitrary<PathAttribute>> {
  const asn = context.fourOctetAs === false ? u16 : u32;
  const arbitraries: Record<string, fc.Arbitrary<object>> = {
    origin: fc.record({ type: fc.constant('origin'), value: fc.constantFrom('igp', 'egp', 'incomplete') }),
    'as-path': fc.record({ type: fc.constant('as-path'), segments: fc.array(segment(asn), { maxLength: 3 }) }),
    med: fc.record({ type: fc.constant('med'), value: u32 }),
    'local-pref': fc.record({ type: fc.constant('local-pref'), value: u32 }),
    'atomic-aggregate': fc.record({ type: fc.constant('atomic-aggregate') }),
    aggregator: fc.record({ type: fc.constant('aggregator'), asn, address: ipv4 }),
    communities: fc.record({ type: fc.constant('communities'), values: fc.array(community, { minLength: 1, maxLength: 10 }) }),
    'originator-id': fc.record({ type: fc.constant('originator-id'), value: ipv4 }),
    'cluster-list': fc.record({ type: fc.constant('cluster-list'), values: fc.array(ipv4, { minLength: 1, maxLength: 6 }) }),
    'extended-communities': fc.record({
      type: fc.constant('extended-communities'),
      values: fc.array(extendedCommunity, { minLength: 1, maxLength: 6 }),
    }),
    'as4-path': fc.record({ type: fc.constant('as4-path'), segments: fc.array(segment(u32), { minLength: 1, maxLength: 3 }) }),
    'as4-aggregator': fc.record({ type: fc.constant('as4-aggregator'), asn: u32, address: ipv4 }),
    'large-communities': fc.record({
      type: fc.constant('large-communities'),
      values: fc.array(largeCommunity, { minLength: 1, maxLength: 6 }),
    }),
  };
  const attributes: Record<string, fc.Arbitrary<PathAttribute>> = {};
  for (const [type, arbitrary] of Object.entries(arbitraries)) attributes[type] = deviating(arbitrary) as fc.Arbitrary<PathAttribute>;
  attributes.unknown = unknownAttribute;
  return attributes;
}

export const nextHopAttribute: fc.Arbitrary<PathAttribute> = deviating(
  fc.record({ type: fc.constant('next-hop'), value: ipv4 }),
) as fc.Arbitrary<PathAttribute>;

/** Next hops a unicast family's routes can take: an IPv4 one for ipv4-unicast only, one or two IPv6. */
export const nextHopsFor = (name: 'ipv4-unicast' | 'ipv6-unicast'): fc.Arbitrary<string[]> =>
  name === 'ipv4-unicast'
    ? fc.oneof(ipv4.map((address) => [address]), fc.array(ipv6, { minLength: 1, maxLength: 2 }))
    : fc.array(ipv6, { minLength: 1, maxLength: 2 });

const hasPathId = (context: SessionContext, name: string) => context.addPath?.includes(name) ?? false;

export function mpReach(context: SessionContext): fc.Arbitrary<PathAttribute> {
  const unicast = fc.constantFrom('ipv4-unicast' as const, 'ipv6-unicast' as const).chain((name) =>
    fc.record({
      type: fc.constant('mp-reach'),
      family: fc.constant(name),
      nextHops: nextHopsFor(name),
      nlri: fc.array(prefix(name === 'ipv4-unicast' ? 32 : 128, hasPathId(context, name)), { maxLength: 6 }),
    }),
  );
  const opaque = fc.record({ type: fc.constant('mp-reach'), family: opaqueFamily, nextHopData: hexOf(0, 24), nlriData: hexOf(0, 24) });
  return deviating(fc.oneof(unicast, opaque)) as fc.Arbitrary<PathAttribute>;
}

export function mpUnreach(context: SessionContext): fc.Arbitrary<PathAttribute> {
  const unicast = fc.constantFrom('ipv4-unicast' as const, 'ipv6-unicast' as const).chain((name) =>
    fc.record({
      type: fc.constant('mp-unreach'),
      family: fc.constant(name),
      withdrawn: fc.array(prefix(name === 'ipv4-unicast' ? 32 : 128, hasPathId(context, name)), { maxLength: 6 }),
    }),
  );
  const opaque = fc.record({ type: fc.constant('mp-unreach'), family: opaqueFamily, nlriData: hexOf(0, 24) });
  return deviating(fc.oneof(unicast, opaque)) as fc.Arbitrary<PathAttribute>;
}

