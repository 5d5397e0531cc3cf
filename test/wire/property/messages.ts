/**
 * Arbitrary valid messages of every type in their canonical decoded form, and session contexts.
 */
import fc from 'fast-check';
import type { Capability, Message, PathAttribute, SessionContext } from '../../../engine/wire/types.ts';
import { byte, family, hexOf, ipv4, prefix, u16, u32 } from './addresses.ts';
import { mpReach, mpUnreach, nextHopAttribute, plainAttributes } from './attributes.ts';

export const sessionContext: fc.Arbitrary<SessionContext> = fc.record({
  fourOctetAs: fc.boolean(),
  addPath: fc.subarray(['ipv4-unicast', 'ipv6-unicast']),
  extendedMessage: fc.boolean(),
});

const KNOWN_CAPABILITIES = new Set([1, 2, 5, 6, 64, 65, 69, 70, 71]);

const capability: fc.Arbitrary<Capability> = fc.oneof(
  fc.record({ type: fc.constant('multiprotocol'), family: family() }),
  fc.record({ type: fc.constant('route-refresh') }),
  fc.record({
    type: fc.constant('extended-next-hop'),
    entries: fc.array(fc.record({ family: family(0xffff), nextHopAfi: u16 }), { maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('extended-message') }),
  fc.record({
    type: fc.constant('graceful-restart'),
    restarting: fc.boolean(),
    notification: fc.boolean(),
    restartTime: fc.integer({ min: 0, max: 4095 }),
    families: fc.array(fc.record({ family: family(), forwarding: fc.boolean() }), { maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('four-octet-as'), asn: u32 }),
  fc.record({
    type: fc.constant('add-path'),
    families: fc.array(fc.record({ family: family(), mode: fc.constantFrom('receive', 'send', 'both') }), { maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('enhanced-route-refresh') }),
  fc.record({
    type: fc.constant('long-lived-graceful-restart'),
    families: fc.array(
      fc.record({ family: family(), forwarding: fc.boolean(), staleTime: fc.integer({ min: 0, max: 0xffffff }) }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ type: fc.constant('unknown'), code: byte.filter((code) => !KNOWN_CAPABILITIES.has(code)), data: hexOf(0, 12) }),
) as fc.Arbitrary<Capability>;

/** RFC 4271 section 4.2, with the values section 6.2 accepts. */
export const openMessage: fc.Arbitrary<Message> = fc
  .record({
    myAs: u16,
    holdTime: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 0xffff })),
    bgpId: ipv4.filter((id) => id !== '0.0.0.0'),
    capabilities: fc.array(capability, { maxLength: 6 }),
    perCapability: fc.boolean(),
    extended: fc.boolean(),
  })
  .map(({ myAs, holdTime, bgpId, capabilities, perCapability, extended }) => ({
    type: 'open' as const,
    version: 4,
    myAs,
    holdTime,
    bgpId,
    capabilities,
    // Decoding sets it only for more than one parameter, each of one capability.
    ...(perCapability && capabilities.length > 1 ? { paramPerCapability: true as const } : {}),
    ...(extended ? { extendedParameters: true as const } : {}),
  }));

/** Fisher-Yates with the given random numbers in [0, 1). */
function shuffle<T>(items: T[], randoms: number[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(randoms[i] * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * RFC 4271 section 4.3 UPDATE that decodes without error: IPv4 prefixes in the Withdrawn Routes and
 * NLRI fields, at most one attribute of each type in any order, the mandatory ones whenever there
 * are routes to announce (RFC 7606 section 3d).
 */
export function updateMessage(context: SessionContext): fc.Arbitrary<Message> {
  const ipv4PathId = context.addPath?.includes('ipv4-unicast') ?? false;
  const plain = plainAttributes(context);
  const optional = Object.fromEntries(Object.entries(plain).map(([type, arbitrary]) => [type, fc.option(arbitrary, { freq: 2, nil: undefined })]));
  return fc
    .record({
      withdrawn: fc.array(prefix(32, ipv4PathId), { maxLength: 5 }),
      nlri: fc.array(prefix(32, ipv4PathId), { maxLength: 5 }),
      attributes: fc.record(optional),
      nextHop: fc.option(nextHopAttribute, { nil: undefined }),
      mpReach: fc.option(mpReach(context), { nil: undefined }),
      mpUnreach: fc.option(mpUnreach(context), { nil: undefined }),
      origin: plain.origin,
      asPath: plain['as-path'],
      mandatoryNextHop: nextHopAttribute,
      order: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 20, maxLength: 20 }),
    })
    .map((parts) => {
      const byType = new Map<string, PathAttribute>();
      for (const attribute of Object.values(parts.attributes)) if (attribute !== undefined) byType.set(keyOf(attribute), attribute);
      if (parts.nextHop) byType.set('next-hop', parts.nextHop);
      if (parts.mpReach) byType.set('mp-reach', parts.mpReach);
      if (parts.mpUnreach) byType.set('mp-unreach', parts.mpUnreach);
      if (parts.nlri.length > 0 || parts.mpReach) {
        if (!byType.has('origin')) byType.set('origin', parts.origin);
        if (!byType.has('as-path')) byType.set('as-path', parts.asPath);
      }
      if (parts.nlri.length > 0 && !byType.has('next-hop')) byType.set('next-hop', parts.mandatoryNextHop);
      return {
        type: 'update' as const,
        withdrawn: parts.withdrawn,
        attributes: shuffle([...byType.values()], parts.order),
        nlri: parts.nlri,
      };
    });
}

/** The key that makes an attribute a duplicate: its type, or its code for unknown ones. */
function keyOf(attribute: PathAttribute): string {
  return attribute.type === 'unknown' ? `unknown-${attribute.code}` : attribute.type;
}

const shutdownText = fc
  .oneof(fc.string({ unit: 'grapheme', maxLength: 24 }), fc.string({ maxLength: 8 }).map((text) => `\ufeff${text}`))
  .filter((text) => Buffer.byteLength(text) <= 255);

/** RFC 4271 section 4.5; a Cease shutdown or reset carries its RFC 9003 communication. */
export const notificationMessage: fc.Arbitrary<Message> = fc.oneof(
  fc
    .record({ code: byte, subcode: byte, data: hexOf(0, 32) })
    .filter(({ code, subcode }) => !(code === 6 && (subcode === 2 || subcode === 4)))
    .map((fields) => ({ type: 'notification' as const, ...fields })),
  fc.record({ subcode: fc.constantFrom(2, 4), text: shutdownText }).map(({ subcode, text }) => {
    const octets = Buffer.from(text);
    return {
      type: 'notification' as const,
      code: 6,
      subcode,
      data: Buffer.concat([Buffer.from([octets.length]), octets]).toString('hex'),
      shutdownMessage: text,
    };
  }),
);

/** RFC 2918 with the RFC 7313 subtype. */
export const routeRefreshMessage: fc.Arbitrary<Message> = fc
  .record({ family: family(), subtype: byte })
  .map(({ family: name, subtype }) => ({ type: 'route-refresh' as const, family: name, subtype }));

export const keepaliveMessage: fc.Arbitrary<Message> = fc.constant({ type: 'keepalive' as const });

/** A valid message of any type for a session, as plain JSON-shaped objects. */
export function messageFor(context: SessionContext): fc.Arbitrary<Message> {
  return fc
    .oneof(
      { arbitrary: updateMessage(context), weight: 4 },
      { arbitrary: openMessage, weight: 2 },
      { arbitrary: notificationMessage, weight: 1 },
      { arbitrary: routeRefreshMessage, weight: 1 },
      { arbitrary: keepaliveMessage, weight: 1 },
    )
    .map((message) => JSON.parse(JSON.stringify(message)) as Message);
}

/** A session context and a valid message of any type for it. */
export const contextAndMessage: fc.Arbitrary<[SessionContext, Message]> = sessionContext.chain((context) =>
  fc.tuple(fc.constant(context), messageFor(context)),
);
