/**
 * AS_PATH (RFC 4271 section 4.3, RFC 5065 for the confederation segments) and AS4_PATH (RFC 6793).
 * The value is a sequence of segments:
 *
 *     +------------------------------+
 *     | Segment Type (1 octet)       |   1 set, 2 sequence, 3 confed-sequence, 4 confed-set
 *     +------------------------------+
 *     | Segment Length (1 octet)     |   number of AS numbers
 *     +------------------------------+
 *     | AS numbers (2 or 4 octets each)
 *     +------------------------------+
 *
 * AS_PATH carries 2-octet AS numbers unless both sides have 4-octet AS; AS4_PATH always 4.
 */
import { malformedAs4Path, malformedAsPath, WireEncodeError } from '../errors.ts';
import { readUint } from '../reader.ts';
import type { AsPathSegment } from '../types.ts';
import type { ByteWriter } from '../writer.ts';
import type { AttributeDescriptor } from './descriptor.ts';
import { OPTIONAL, TRANSITIVE } from './descriptor.ts';

const SEGMENT_TYPES = ['set', 'sequence', 'confed-sequence', 'confed-set'] as const;

/** Most AS numbers one segment holds: its length is one octet. */
const MAX_SEGMENT_ASNS = 255;

/**
 * The segments of `bytes[start, end)`; undefined when malformed: an unknown segment type, a
 * zero-length segment, a segment overrunning, or a single octet left over (RFC 7606 section 7.2).
 */
function decodeSegments(bytes: Uint8Array, start: number, end: number, asSize: 2 | 4): AsPathSegment[] | undefined {
  const segments: AsPathSegment[] = [];
  let at = start;
  while (at < end) {
    if (at + 2 > end) return undefined;
    const type = SEGMENT_TYPES[bytes[at] - 1];
    const count = bytes[at + 1];
    if (type === undefined || count === 0 || at + 2 + count * asSize > end) return undefined;
    const asns: number[] = [];
    for (let i = 0; i < count; i++) asns.push(readUint(bytes, at + 2 + i * asSize, asSize));
    segments.push({ type, asns });
    at += 2 + count * asSize;
  }
  return segments;
}

/** Writes segments, splitting one of more than 255 AS numbers into several of its type. */
function encodeSegments(segments: AsPathSegment[], writer: ByteWriter, asSize: 2 | 4): void {
  for (const segment of segments) {
    const type = SEGMENT_TYPES.indexOf(segment.type) + 1;
    if (type === 0) throw new WireEncodeError(`AS_PATH segment type ${JSON.stringify(segment.type)}`);
    if (segment.asns.length === 0) throw new WireEncodeError('AS_PATH segment without AS numbers');
    for (let from = 0; from < segment.asns.length; from += MAX_SEGMENT_ASNS) {
      const part = segment.asns.slice(from, from + MAX_SEGMENT_ASNS);
      writer.u8(type, 'segment type');
      writer.u8(part.length, 'segment length');
      for (const asn of part) writer.uint(asn, asSize, 'AS number');
    }
  }
}

/** AS_PATH: malformed is treat-as-withdraw (RFC 7606 section 7.2). */
export const asPath: AttributeDescriptor<'as-path'> = {
  code: 2,
  type: 'as-path',
  flags: TRANSITIVE,
  flagsAction: 'treat-as-withdraw',
  decode: (input) => {
    const segments = decodeSegments(input.bytes, input.start, input.end, input.context.asSize);
    return segments === undefined ? malformedAsPath() : { type: 'as-path', segments };
  },
  encode: (attribute, writer, context) => encodeSegments(attribute.segments, writer, context.asSize),
};

/** AS4_PATH: malformed or empty is attribute-discard (RFC 6793 section 6). */
export const as4Path: AttributeDescriptor<'as4-path'> = {
  code: 17,
  type: 'as4-path',
  flags: OPTIONAL | TRANSITIVE,
  flagsAction: 'treat-as-withdraw',
  decode: (input) => {
    // RFC 6793 section 6: AS4_PATH carries at least one AS number.
    const segments = decodeSegments(input.bytes, input.start, input.end, 4);
    if (segments === undefined || segments.length === 0) return malformedAs4Path(input.attr());
    return { type: 'as4-path', segments };
  },
  encode: (attribute, writer) => encodeSegments(attribute.segments, writer, 4),
};
