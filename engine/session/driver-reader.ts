/**
 * Cuts the bytes of one connection into decoded messages, keeping a partial message until the rest
 * arrives. How to read depends on what the session negotiated (ADD-PATH, 4-octet AS, extended
 * messages), which is known only once the peer's OPEN is accepted; the peer's first UPDATE can come
 * in the same read as its OPEN, so until then messages are read one at a time.
 */
import type { DecodeResult, SessionContext, WireCodec } from '../wire/types.ts';

/** RFC 4271 section 4.1: marker, length, type. */
const HEADER_LENGTH = 19;
/** Offset of the Length field in the header. */
const LENGTH_OFFSET = 16;

export class MessageReader {
  readonly #codec: WireCodec;
  #pending: Buffer | undefined;

  constructor(codec: WireCodec) {
    this.#codec = codec;
  }

  /** Octets received and not yet read as a whole message. */
  get pendingBytes(): number {
    return this.#pending?.length ?? 0;
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
  }

  /**
   * The whole messages received, in order, decoded with `context` (the session's, or the default
   * before the OPEN), or only the first one when `single`. Stops after a message that resets the
   * session: what follows it is never read.
   */
  read(context: SessionContext | undefined, single: boolean): DecodeResult[] {
    const bytes = this.#pending;
    if (bytes === undefined || bytes.length < HEADER_LENGTH) return [];
    let window = bytes;
    if (single) {
      // At most the first message, by its Length field; a length the header check refuses still
      // leaves the 19 octets the check needs.
      const declared = bytes.readUInt16BE(LENGTH_OFFSET);
      window = bytes.subarray(0, Math.min(bytes.length, Math.max(HEADER_LENGTH, declared)));
    }
    const { results, consumed } = this.#codec.decodeStream(window, context);
    const read = single ? results.slice(0, 1) : results;
    this.#pending = consumed >= bytes.length ? undefined : bytes.subarray(consumed);
    return read;
  }
}
