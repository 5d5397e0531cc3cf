/**
 * How the benchmark testers read a BGP byte stream (RFC 4271 section 4.1: a 2-octet length at
 * offset 16, the type at offset 18): whole messages in order, a partial one kept for the next
 * chunk. Messages are handed out as offsets into the chunk, neither copied nor decoded: a tester
 * reading a million UPDATEs must not cost as much as the router it measures.
 */

/** The fixed BGP header: marker, length, type. */
export const HEADER = 19;

const UPDATE = 2;

export interface MessageVisitor {
  /** One whole message, `bytes[start..end)` with its header. */
  message(type: number, bytes: Uint8Array, start: number, end: number): void;
  /**
   * Each run of consecutive UPDATEs within one chunk, as one view, once the run ends: before the
   * message that ends it, or at the end of the chunk.
   */
  updates?(run: Uint8Array): void;
}

/** One connection's incoming bytes. */
export class MessageStream {
  #pending: Uint8Array = new Uint8Array(0);

  /** Drops a partial message: the connection it came on is gone. */
  reset(): void {
    this.#pending = new Uint8Array(0);
  }

  /** Hands `visitor` every whole message that `chunk` completes, in order. */
  read(chunk: Uint8Array, visitor: MessageVisitor): void {
    let bytes = chunk;
    if (this.#pending.length > 0) {
      bytes = new Uint8Array(this.#pending.length + chunk.length);
      bytes.set(this.#pending);
      bytes.set(chunk, this.#pending.length);
    }
    let offset = 0;
    let updates = -1;
    while (bytes.length - offset >= HEADER) {
      const length = (bytes[offset + 16] << 8) | bytes[offset + 17];
      if (bytes.length - offset < length) break;
      const type = bytes[offset + 18];
      if (type === UPDATE) {
        if (updates < 0) updates = offset;
      } else if (updates >= 0) {
        visitor.updates?.(bytes.subarray(updates, offset));
        updates = -1;
      }
      visitor.message(type, bytes, offset, offset + length);
      offset += length;
    }
    if (updates >= 0) visitor.updates?.(bytes.subarray(updates, offset));
    this.#pending = offset === bytes.length ? new Uint8Array(0) : bytes.slice(offset);
  }
}
