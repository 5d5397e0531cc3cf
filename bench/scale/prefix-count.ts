/**
 * A receiver's count of the prefixes it holds, read straight off UPDATE messages without decoding
 * their attributes (RFC 4271 section 4.3: Withdrawn Routes Length, Withdrawn Routes, Total Path
 * Attribute Length, Path Attributes, NLRI). Targets send IPv4 unicast in the NLRI field, without
 * ADD-PATH. A prefix announced twice counts once; a withdrawal takes it away. Decoding every
 * attribute would cost the tester about as much as the target it measures.
 */

import { HEADER } from '../message-stream.ts';

/** The /32s of one run, numbered from `base`: which ones a receiver holds. */
export class PrefixCount {
  readonly #held: Uint8Array;
  readonly #base: number;
  #count = 0;

  constructor(base: number, total: number) {
    this.#base = base;
    this.#held = new Uint8Array(total);
  }

  /** Prefixes of the run held now. */
  get count(): number {
    return this.#count;
  }

  /** Whether every prefix of the run is held. */
  get complete(): boolean {
    return this.#count === this.#held.length;
  }

  /** Applies one UPDATE message, `bytes[start..end)` with its header. */
  update(bytes: Uint8Array, start: number, end: number): void {
    const withdrawnEnd = start + HEADER + 2 + ((bytes[start + HEADER] << 8) | bytes[start + HEADER + 1]);
    const attributesLength = (bytes[withdrawnEnd] << 8) | bytes[withdrawnEnd + 1];
    this.#walk(bytes, start + HEADER + 2, withdrawnEnd, false);
    this.#walk(bytes, withdrawnEnd + 2 + attributesLength, end, true);
  }

  #walk(bytes: Uint8Array, start: number, end: number, announced: boolean): void {
    const held = this.#held;
    for (let at = start; at < end; at += 1 + ((bytes[at] + 7) >> 3)) {
      if (bytes[at] !== 32) continue;
      const index = (((bytes[at + 1] << 24) | (bytes[at + 2] << 16) | (bytes[at + 3] << 8) | bytes[at + 4]) >>> 0) - this.#base;
      if (index < 0 || index >= held.length) continue;
      if (announced && held[index] === 0) {
        held[index] = 1;
        this.#count++;
      } else if (!announced && held[index] === 1) {
        held[index] = 0;
        this.#count--;
      }
    }
  }
}
