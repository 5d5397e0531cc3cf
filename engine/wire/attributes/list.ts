/**
 * The Path Attributes field of an UPDATE, walked by the descriptor table. Each attribute is
 * (RFC 4271 section 4.3):
 *
 *      0                   1
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *     +---------------+---------------+
 *     |  Attr. Flags  |Attr. Type Code|
 *     +---------------+---------------+
 *     | Attr. Length (1, or 2 with the Extended Length flag)
 *     +-------------------------------+
 *     | Attr. Value (variable)
 *     +-------------------------------+
 *
 * Flags: Optional 0x80, Transitive 0x40, Partial 0x20, Extended Length 0x10; the low four bits are
 * ignored on receipt. Error handling follows RFC 7606 and docs/wire-errors.md.
 */
import type { ResolvedContext } from '../context.ts';
import {
  attributeFlags,
  attributeOverrun,
  duplicateAttribute,
  duplicateMpAttribute,
  stronger,
  unrecognizedWellKnownAttribute,
  WireEncodeError,
} from '../errors.ts';
import { toHex } from '../hex.ts';
import type { NlriTarget } from '../prefix.ts';
import { readU16 } from '../reader.ts';
import type { PathAttribute, WireError } from '../types.ts';
import { ByteWriter } from '../writer.ts';
import { EXTENDED_LENGTH, isWireError, OPTIONAL, PARTIAL, TRANSITIVE, type AttributeInput } from './descriptor.ts';
import { ATTRIBUTE_BY_CODE, ATTRIBUTE_BY_TYPE, ATTRIBUTE_CODE } from './table.ts';

export interface AttributeList {
  /** The attributes to use, in wire order: malformed, discarded and repeated ones left out. */
  attributes: PathAttribute[];
  /** For each kept attribute, the start and end offsets of its octets as received. */
  spans: number[];
  /** Type codes that appeared, whatever became of them. */
  seen: Set<number>;
  /**
   * For RFC 7606 section 5.2, judged by type code, an overrunning attribute included: an
   * MP_REACH_NLRI appeared, and something besides MP_UNREACH_NLRI appeared.
   */
  holdsMpReach: boolean;
  holdsOther: boolean;
  /** The strongest error found. */
  error?: WireError;
}

/**
 * Decodes the attributes of `bytes[start, end)`. Stops at the first session-reset error, which then
 * is the list's error, and at an overrun, after which no attribute can be located.
 */
export function decodeAttributes(
  bytes: Uint8Array,
  start: number,
  end: number,
  context: ResolvedContext,
  nlri: NlriTarget,
): AttributeList {
  const seen = new Set<number>();
  const list: AttributeList = { attributes: [], spans: [], seen, holdsMpReach: false, holdsOther: false };
  const fail = (error: WireError) => {
    list.error = stronger(list.error, error);
  };
  for (let at = start; at < end; ) {
    if (at + 2 > end) {
      list.holdsOther = true;
      fail(attributeOverrun());
      break;
    }
    const flags = bytes[at];
    const code = bytes[at + 1];
    if (code === ATTRIBUTE_CODE.mpReach) list.holdsMpReach = true;
    if (code !== ATTRIBUTE_CODE.mpUnreach) list.holdsOther = true;
    const headerLength = flags & EXTENDED_LENGTH ? 4 : 3;
    if (at + headerLength > end) {
      fail(attributeOverrun(code));
      break;
    }
    const length = headerLength === 4 ? readU16(bytes, at + 2) : bytes[at + 2];
    const valueStart = at + headerLength;
    const valueEnd = valueStart + length;
    if (valueEnd > end) {
      fail(attributeOverrun(code));
      break;
    }
    const attributeStart = at;
    at = valueEnd;

    // RFC 7606 section 3g: a repeated MP attribute resets the session; any other repeat is dropped.
    if (seen.has(code)) {
      if (code === ATTRIBUTE_CODE.mpReach || code === ATTRIBUTE_CODE.mpUnreach) {
        fail(duplicateMpAttribute(code));
        return list;
      }
      fail(duplicateAttribute(code));
      continue;
    }
    seen.add(code);

    const attr = () => toHex(bytes, attributeStart, valueEnd);
    const descriptor = ATTRIBUTE_BY_CODE.get(code);
    if (descriptor === undefined) {
      // RFC 4271 section 6.3: an unknown attribute must be optional.
      if ((flags & OPTIONAL) === 0) {
        fail(unrecognizedWellKnownAttribute(attr(), code));
        return list;
      }
      list.attributes.push({ type: 'unknown', code, flags, data: toHex(bytes, valueStart, valueEnd) });
      list.spans.push(attributeStart, valueEnd);
      continue;
    }
    if ((flags & (OPTIONAL | TRANSITIVE)) !== descriptor.flags) {
      const error = attributeFlags(descriptor.flagsAction, attr(), code);
      fail(error);
      if (error.action === 'session-reset') return list;
      continue;
    }
    const input: AttributeInput = { bytes, start: valueStart, end: valueEnd, attr, context, nlri };
    const decoded = descriptor.decode(input);
    if (isWireError(decoded)) {
      fail(decoded);
      if (decoded.action === 'session-reset') return list;
      continue;
    }
    if (flags & PARTIAL) decoded.partial = true;
    if (headerLength === 4 && length <= 255) decoded.extendedLength = true;
    list.attributes.push(decoded);
    list.spans.push(attributeStart, valueEnd);
  }
  return list;
}

/** Writes one attribute: default flags plus Partial and Extended Length as docs/wire-model.md says. */
export function encodeAttribute(attribute: PathAttribute, writer: ByteWriter, context: ResolvedContext): void {
  const value = new ByteWriter();
  let flags: number;
  let code: number;
  if (attribute.type === 'unknown') {
    value.hex(attribute.data, 'attribute data');
    code = attribute.code;
    flags = attribute.flags;
  } else {
    const descriptor = ATTRIBUTE_BY_TYPE.get(attribute.type);
    if (descriptor === undefined) throw new WireEncodeError(`unknown attribute type ${JSON.stringify(attribute.type)}`);
    descriptor.encode(attribute, value, context);
    code = descriptor.code;
    flags = descriptor.flags | (attribute.partial === true ? PARTIAL : 0) | (attribute.extendedLength === true ? EXTENDED_LENGTH : 0);
  }
  if (value.length > 255) flags |= EXTENDED_LENGTH;
  writer.u8(flags, 'attribute flags');
  writer.u8(code, 'attribute type code');
  if (flags & EXTENDED_LENGTH) writer.u16(value.length, 'attribute length');
  else writer.u8(value.length, 'attribute length');
  writer.bytes(value.view());
}
