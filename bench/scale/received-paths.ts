/**
 * What a receiver holds, read straight off UPDATE messages without decoding them (RFC 4271 section
 * 4.3: Withdrawn Routes Length, Withdrawn Routes, Total Path Attribute Length, Path Attributes,
 * NLRI). Targets send IPv4 unicast in the NLRI field, each NLRI preceded by a path identifier when
 * the session negotiated ADD-PATH (RFC 7911 section 3). Decoding every attribute would cost the
 * tester about as much as the target it measures: only NEXT_HOP is looked for, once per UPDATE.
 *
 * Each prefix of the run has `slots` paths to hold: one, or with ADD-PATH one per injector. A slot
 * holds the tag of the next hop it was last announced with (next-hop-tags.ts; 0: nothing), and the
 * tester says which tag it must end with (`expect`). The receiver is complete when every slot
 * holds what is expected: a prefix announced twice counts once, a withdrawal takes it away, and a
 * path announced again with another next hop counts when the new one arrives.
 */

import { HEADER } from '../message-stream.ts';
import type { NextHopTags } from './next-hop-tags.ts';

const NEXT_HOP = 3;
const EXTENDED_LENGTH = 0x10;

export interface ReceivedPathsOptions {
  /** The run's first /32, as a 32-bit number: prefix index 0. */
  base: number;
  prefixes: number;
  /** Paths per prefix; above 1 only with ADD-PATH, where the slot is the injector of the path's next hop. */
  slots: number;
  addPath: boolean;
  tags: NextHopTags;
  /** Called when a slot comes to hold what is expected, with its prefix index. */
  onMatch?: (prefix: number) => void;
}

export class ReceivedPaths {
  readonly #held: Uint16Array;
  readonly #expected: Uint16Array;
  /** ADD-PATH: the path identifier each slot was announced with. */
  readonly #pathIds: Uint32Array | undefined;
  readonly #options: ReceivedPathsOptions;
  #matched = 0;

  constructor(options: ReceivedPathsOptions) {
    if (options.slots > 1 && !options.addPath) throw new RangeError('several paths per prefix need ADD-PATH');
    this.#options = options;
    this.#held = new Uint16Array(options.prefixes * options.slots);
    this.#expected = new Uint16Array(options.prefixes * options.slots);
    this.#pathIds = options.addPath ? new Uint32Array(options.prefixes * options.slots) : undefined;
    // Nothing held and nothing expected yet: every slot holds what is expected.
    this.#matched = this.#held.length;
  }

  /** Slots that hold what is expected. */
  get matched(): number {
    return this.#matched;
  }

  get complete(): boolean {
    return this.#matched === this.#held.length;
  }

  /** Slots in all. */
  get size(): number {
    return this.#held.length;
  }

  /** Prefix `prefix` must end up holding `tag`, in the slot of the tag's injector (the only one without ADD-PATH). */
  expect(prefix: number, tag: number): void {
    const at = this.#slotOf(prefix, tag);
    const before = this.#held[at] === this.#expected[at];
    this.#expected[at] = tag;
    this.#matched += Number(this.#held[at] === tag) - Number(before);
  }

  /** Applies one UPDATE message, `bytes[start..end)` with its header. */
  update(bytes: Uint8Array, start: number, end: number): void {
    const withdrawnStart = start + HEADER + 2;
    const withdrawnEnd = withdrawnStart + ((bytes[start + HEADER] << 8) | bytes[start + HEADER + 1]);
    const attributesStart = withdrawnEnd + 2;
    const attributesEnd = attributesStart + ((bytes[withdrawnEnd] << 8) | bytes[withdrawnEnd + 1]);
    this.#walk(bytes, withdrawnStart, withdrawnEnd, 0);
    if (attributesEnd < end) this.#walk(bytes, attributesEnd, end, this.#options.tags.of(nextHop(bytes, attributesStart, attributesEnd)));
  }

  /** The NLRI of `bytes[start..end)`: withdrawn when `tag` is 0, else announced with that next hop. */
  #walk(bytes: Uint8Array, start: number, end: number, tag: number): void {
    const { base, prefixes, addPath } = this.#options;
    for (let at = start; at < end;) {
      const pathId = addPath ? ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0 : 0;
      if (addPath) at += 4;
      const length = bytes[at];
      const index = (((bytes[at + 1] << 24) | (bytes[at + 2] << 16) | (bytes[at + 3] << 8) | bytes[at + 4]) >>> 0) - base;
      at += 1 + ((length + 7) >> 3);
      if (length !== 32 || index < 0 || index >= prefixes) continue;
      if (tag === 0) this.#withdraw(index, pathId);
      else this.#announce(index, pathId, tag);
    }
  }

  #announce(prefix: number, pathId: number, tag: number): void {
    const { slots } = this.#options;
    const first = prefix * slots;
    const ids = this.#pathIds;
    if (ids === undefined) {
      this.#set(first, tag);
      return;
    }
    // An identifier names one path of the prefix (RFC 7911 section 2): announced again for another
    // injector's next hop, it replaces that path, so the old slot no longer holds it.
    for (let slot = first; slot < first + slots; slot++) if (this.#held[slot] !== 0 && ids[slot] === pathId) this.#set(slot, 0);
    const slot = this.#slotOf(prefix, tag);
    ids[slot] = pathId;
    this.#set(slot, tag);
  }

  #slotOf(prefix: number, tag: number): number {
    const { slots, tags } = this.#options;
    return prefix * slots + (slots === 1 ? 0 : tags.injectorOf(tag));
  }

  #withdraw(prefix: number, pathId: number): void {
    const { slots } = this.#options;
    const first = prefix * slots;
    const ids = this.#pathIds;
    for (let slot = first; slot < first + slots; slot++) {
      if (ids === undefined || (this.#held[slot] !== 0 && ids[slot] === pathId)) this.#set(slot, 0);
    }
  }

  #set(slot: number, tag: number): void {
    const expected = this.#expected[slot];
    const before = this.#held[slot] === expected;
    this.#held[slot] = tag;
    const after = tag === expected;
    if (before === after) return;
    this.#matched += after ? 1 : -1;
    if (after) this.#options.onMatch?.(Math.floor(slot / this.#options.slots));
  }
}

/** The NEXT_HOP attribute's address as a 32-bit number (0 when absent) among the attributes `bytes[start..end)`. */
function nextHop(bytes: Uint8Array, start: number, end: number): number {
  for (let at = start; at < end;) {
    const flags = bytes[at];
    const extended = (flags & EXTENDED_LENGTH) !== 0;
    const length = extended ? (bytes[at + 2] << 8) | bytes[at + 3] : bytes[at + 2];
    const value = at + (extended ? 4 : 3);
    if (bytes[at + 1] === NEXT_HOP && length === 4) {
      return ((bytes[value] << 24) | (bytes[value + 1] << 16) | (bytes[value + 2] << 8) | bytes[value + 3]) >>> 0;
    }
    at = value + length;
  }
  return 0;
}
