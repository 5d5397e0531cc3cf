/**
 * UPDATE, RFC 4271 section 4.3:
 *
 *     +-----------------------------------------------------+
 *     |   Withdrawn Routes Length (2 octets)                |
 *     +-----------------------------------------------------+
 *     |   Withdrawn Routes (variable)                       |
 *     +-----------------------------------------------------+
 *     |   Total Path Attribute Length (2 octets)            |
 *     +-----------------------------------------------------+
 *     |   Path Attributes (variable)                        |
 *     +-----------------------------------------------------+
 *     |   Network Layer Reachability Information (variable) |
 *     +-----------------------------------------------------+
 *
 * Withdrawn Routes and NLRI hold ipv4-unicast prefixes (prefix.ts). Errors are looked for in wire
 * order, and the missing-attribute check comes last; the strongest is kept (docs/wire-errors.md).
 */
import { decodeAttributes, encodeAttribute } from './attributes/list.ts';
import type { ResolvedContext } from './context.ts';
import {
  invalidNetworkField,
  isSessionReset,
  malformedAttributeList,
  missingWellKnownAttribute,
  stronger,
  WireEncodeError,
} from './errors.ts';
import { IPV4_UNICAST } from './families.ts';
import { finishMessage, HEADER_LENGTH, startMessage } from './header.ts';
import { encodePrefixes, type NlriTarget } from './prefix.ts';
import { readU16 } from './reader.ts';
import type { UpdateMessage, WireError } from './types.ts';
import { ByteWriter } from './writer.ts';

/** Well-known mandatory attributes (RFC 4271 section 5), in the order a missing one is named. */
const ORIGIN = 1;
const AS_PATH = 2;
const NEXT_HOP = 3;
const MP_REACH_NLRI = 14;

/** An UPDATE as decoded, with what the bulk decoder needs beyond the message. */
export interface UpdateDecode {
  /** Absent after a session-reset error. */
  message?: UpdateMessage;
  error?: WireError;
  /** Start and end offsets of each kept attribute as received (see AttributeList). */
  spans: number[];
}

/** Decodes an UPDATE whose header was checked, sending its prefixes to `nlri`. */
export function decodeUpdate(
  bytes: Uint8Array,
  start: number,
  end: number,
  context: ResolvedContext,
  nlri: NlriTarget,
): UpdateDecode {
  const withdrawnStart = start + HEADER_LENGTH + 2;
  const withdrawnEnd = withdrawnStart + readU16(bytes, withdrawnStart - 2);
  // RFC 7606 section 4: lengths that overrun the message leave the NLRI impossible to locate.
  if (withdrawnEnd + 2 > end) return { error: malformedAttributeList(), spans: [] };
  const attributesStart = withdrawnEnd + 2;
  const attributesEnd = attributesStart + readU16(bytes, withdrawnEnd);
  if (attributesEnd > end) return { error: malformedAttributeList(), spans: [] };

  const ipv4AddPath = context.addPath.has(IPV4_UNICAST.name);
  const withdrawn = nlri.read('withdrawn', bytes, withdrawnStart, withdrawnEnd, IPV4_UNICAST, ipv4AddPath);
  if (withdrawn === undefined) return { error: invalidNetworkField(), spans: [] };

  const list = decodeAttributes(bytes, attributesStart, attributesEnd, context, nlri);
  if (isSessionReset(list.error)) return { error: list.error, spans: [] };
  let error = list.error;

  const announced = nlri.read('nlri', bytes, attributesEnd, end, IPV4_UNICAST, ipv4AddPath);
  if (announced === undefined) return { error: invalidNetworkField(), spans: [] };

  // RFC 7606 section 3d, RFC 4760 section 3: NLRI need ORIGIN and AS_PATH; the NLRI field needs
  // NEXT_HOP. An attribute that appeared, even malformed, is not missing.
  const seen = list.seen;
  const nlriField = end > attributesEnd;
  const reachable = nlriField || seen.has(MP_REACH_NLRI);
  if (reachable) {
    const missing = !seen.has(ORIGIN) ? ORIGIN : !seen.has(AS_PATH) ? AS_PATH : nlriField && !seen.has(NEXT_HOP) ? NEXT_HOP : undefined;
    if (missing !== undefined) error = stronger(error, missingWellKnownAttribute(missing));
  }
  // RFC 7606 section 5.2: without reachable NLRI, withdrawing does nothing, so an error that would
  // withdraw or disable resets the session instead, unless the UPDATE holds only MP_UNREACH_NLRI.
  if (!nlriField && !list.holdsMpReach && list.holdsOther && (error?.action === 'treat-as-withdraw' || error?.action === 'afi-safi-disable')) {
    return { error: { ...error, action: 'session-reset' }, spans: [] };
  }

  const decoded: UpdateDecode = { message: { type: 'update', withdrawn, attributes: list.attributes, nlri: announced }, spans: list.spans };
  if (error !== undefined) decoded.error = error;
  return decoded;
}

export function encodeUpdate(message: UpdateMessage, context: ResolvedContext): Uint8Array {
  const writer = new ByteWriter(256);
  startMessage(writer, 'update');
  const ipv4AddPath = context.addPath.has(IPV4_UNICAST.name);
  const withdrawnStart = writer.length;
  writer.u16(0, 'withdrawn routes length');
  encodePrefixes(writer, message.withdrawn, IPV4_UNICAST, ipv4AddPath);
  writer.patchU16(withdrawnStart, writer.length - withdrawnStart - 2, 'withdrawn routes length');
  const attributesStart = writer.length;
  writer.u16(0, 'total path attribute length');
  if (!Array.isArray(message.attributes)) throw new WireEncodeError('UPDATE attributes: not a list');
  for (const attribute of message.attributes) encodeAttribute(attribute, writer, context);
  writer.patchU16(attributesStart, writer.length - attributesStart - 2, 'total path attribute length');
  encodePrefixes(writer, message.nlri, IPV4_UNICAST, ipv4AddPath);
  return finishMessage(writer, context.maxMessageLength, 'UPDATE');
}
