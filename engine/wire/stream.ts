/**
 * Messages of a byte stream (docs/wire-model.md, "Streams"): read from offset 0 until a partial
 * message or a session reset. A header is checked as soon as its 19 octets are there.
 */
import type { ResolvedContext } from './context.ts';
import { isSessionReset } from './errors.ts';
import { checkHeader, HEADER_LENGTH } from './header.ts';
import { decodeBody } from './message.ts';
import type { DecodeResult, StreamDecodeResult } from './types.ts';

export function decodeMessages(bytes: Uint8Array, context: ResolvedContext): StreamDecodeResult {
  const results: DecodeResult[] = [];
  let offset = 0;
  while (bytes.length - offset >= HEADER_LENGTH) {
    const header = checkHeader(bytes, offset, context);
    if ('action' in header) {
      results.push({ error: header });
      break;
    }
    if (bytes.length - offset < header.length) break;
    const result = decodeBody(bytes, offset, header, context);
    results.push(result);
    if (isSessionReset(result.error)) break;
    offset += header.length;
  }
  return { results, consumed: offset };
}
