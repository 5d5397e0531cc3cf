/**
 * KEEPALIVE, RFC 4271 section 4.4: the header alone, 19 octets (the header check enforces it).
 */
import { MAX_MESSAGE_LENGTH } from './context.ts';
import { finishMessage, startMessage } from './header.ts';
import type { DecodeResult } from './types.ts';
import { ByteWriter } from './writer.ts';

export function decodeKeepalive(): DecodeResult {
  return { message: { type: 'keepalive' } };
}

export function encodeKeepalive(): Uint8Array {
  const writer = new ByteWriter(19);
  startMessage(writer, 'keepalive');
  return finishMessage(writer, MAX_MESSAGE_LENGTH, 'KEEPALIVE');
}
