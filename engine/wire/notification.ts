/**
 * NOTIFICATION, RFC 4271 section 4.5:
 *
 *      0                   1                   2                   3
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     | Error code    | Error subcode |   Data (variable)             |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * For Cease (6) with Administrative Shutdown (2) or Administrative Reset (4), the data may be an
 * RFC 9003 Shutdown Communication: a length octet, then that many octets of UTF-8.
 */
import type { ResolvedContext } from './context.ts';
import { WireEncodeError } from './errors.ts';
import { finishMessage, HEADER_LENGTH, startMessage } from './header.ts';
import { toHex } from './hex.ts';
import type { DecodeResult, NotificationMessage } from './types.ts';
import { ByteWriter } from './writer.ts';

const CEASE = 6;
const ADMINISTRATIVE_SHUTDOWN = 2;
const ADMINISTRATIVE_RESET = 4;

// ignoreBOM keeps a leading byte order mark in the text, so the message survives a round trip.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The Shutdown Communication of `bytes[start, end)`, if the data is exactly one. */
function shutdownMessage(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end === start || bytes[start] !== end - start - 1) return undefined;
  try {
    return utf8.decode(bytes.subarray(start + 1, end));
  } catch {
    return undefined;
  }
}

/** Decodes a NOTIFICATION whose header was checked; it has no error of its own. */
export function decodeNotification(bytes: Uint8Array, start: number, end: number): DecodeResult {
  const at = start + HEADER_LENGTH;
  const code = bytes[at];
  const subcode = bytes[at + 1];
  const message: NotificationMessage = { type: 'notification', code, subcode, data: toHex(bytes, at + 2, end) };
  if (code === CEASE && (subcode === ADMINISTRATIVE_SHUTDOWN || subcode === ADMINISTRATIVE_RESET)) {
    const text = shutdownMessage(bytes, at + 2, end);
    if (text !== undefined) message.shutdownMessage = text;
  }
  return { message };
}

export function encodeNotification(message: NotificationMessage, context: ResolvedContext): Uint8Array {
  const writer = new ByteWriter(64);
  startMessage(writer, 'notification');
  writer.u8(message.code, 'error code');
  writer.u8(message.subcode, 'error subcode');
  if (message.data !== '' && message.data !== undefined) {
    writer.hex(message.data, 'NOTIFICATION data');
  } else if (message.shutdownMessage !== undefined) {
    const text = new TextEncoder().encode(message.shutdownMessage);
    if (text.length > 255) throw new WireEncodeError(`shutdown message of ${text.length} octets exceeds 255`);
    writer.u8(text.length, 'shutdown message length');
    writer.bytes(text);
  }
  return finishMessage(writer, context.maxMessageLength, 'NOTIFICATION');
}
