/**
 * The message header, RFC 4271 section 4.1:
 *
 *      0                   1                   2                   3
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |                                                               |
 *     +                                                               +
 *     |                                                               |
 *     +                                                               +
 *     |                           Marker                              |
 *     +                                                               +
 *     |                                                               |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |          Length               |      Type     |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import type { ResolvedContext } from './context.ts';
import { MAX_MESSAGE_LENGTH } from './context.ts';
import { badMarker, badMessageLength, badMessageType, WireEncodeError } from './errors.ts';
import { toHex } from './hex.ts';
import { readU16 } from './reader.ts';
import type { Message, WireError } from './types.ts';
import type { ByteWriter } from './writer.ts';

export const HEADER_LENGTH = 19;

export const MESSAGE_TYPE = { open: 1, update: 2, notification: 3, keepalive: 4, 'route-refresh': 5 } as const;

/**
 * Smallest valid length of each type (RFC 4271 section 6.1). ROUTE-REFRESH has none here: its
 * length is its own error (RFC 7313 section 5, route-refresh.ts).
 */
const MIN_LENGTH: Record<number, number> = { 1: 29, 2: 23, 3: 21, 4: 19, 5: 19 };

export interface Header {
  length: number;
  type: number;
}

/**
 * Checks the 19 header octets at `offset` in the order of RFC 4271 section 6.1: marker, length,
 * type, then the length the type allows. `size`, when given, is the size the message must have.
 */
export function checkHeader(bytes: Uint8Array, offset: number, context: ResolvedContext, size?: number): Header | WireError {
  for (let i = 0; i < 16; i++) if (bytes[offset + i] !== 0xff) return badMarker();
  const length = readU16(bytes, offset + 16);
  const type = bytes[offset + 18];
  const lengthError = () => badMessageLength(toHex(bytes, offset + 16, offset + 18));
  if (length < HEADER_LENGTH || length > context.maxMessageLength || (size !== undefined && length !== size)) {
    return lengthError();
  }
  if (type < 1 || type > 5) return badMessageType(toHex(bytes, offset + 18, offset + 19));
  if (length < MIN_LENGTH[type]) return lengthError();
  // RFC 8654 section 4: OPEN and KEEPALIVE keep the 4,096-octet limit.
  if (type === MESSAGE_TYPE.open && length > MAX_MESSAGE_LENGTH) return lengthError();
  if (type === MESSAGE_TYPE.keepalive && length !== HEADER_LENGTH) return lengthError();
  return { length, type };
}

/** Writes a header with a zero length, to be set by `finishMessage`. */
export function startMessage(writer: ByteWriter, type: Message['type']): void {
  for (let i = 0; i < 16; i++) writer.u8(0xff, 'marker');
  writer.u16(0, 'length');
  writer.u8(MESSAGE_TYPE[type], 'type');
}

/** Sets the length of a message started at offset 0 and returns its octets. */
export function finishMessage(writer: ByteWriter, limit: number, what: string): Uint8Array {
  if (writer.length > limit) {
    throw new WireEncodeError(`${what} of ${writer.length} octets exceeds the ${limit}-octet limit`);
  }
  writer.patchU16(16, writer.length, 'length');
  return writer.finish();
}
