/**
 * What the generic attribute walker (attributes/list.ts) knows about each attribute type: one
 * descriptor per type code, with its default flags (docs/wire-model.md, "Path attributes").
 */
import type { ResolvedContext } from '../context.ts';
import type { NlriTarget } from '../prefix.ts';
import type { ErrorAction, PathAttribute, WireError } from '../types.ts';
import type { ByteWriter } from '../writer.ts';

export type KnownAttribute = Exclude<PathAttribute, { type: 'unknown' }>;
export type AttributeOf<T extends KnownAttribute['type']> = Extract<KnownAttribute, { type: T }>;

/** Attribute Flags (RFC 4271 section 4.3). */
export const OPTIONAL = 0x80;
export const TRANSITIVE = 0x40;
export const PARTIAL = 0x20;
export const EXTENDED_LENGTH = 0x10;

/** One received attribute, as its descriptor sees it. */
export interface AttributeInput {
  bytes: Uint8Array;
  /** The value is `bytes[start, end)`. */
  start: number;
  end: number;
  /** The whole attribute as received (flags, type, length, value) in hex: the data of most errors. */
  attr: () => string;
  context: ResolvedContext;
  nlri: NlriTarget;
}

export interface AttributeDescriptor<T extends KnownAttribute['type'] = KnownAttribute['type']> {
  code: number;
  type: T;
  /** Optional and Transitive bits written, and expected on receipt. */
  flags: number;
  /** The action for wrong Optional/Transitive bits (RFC 7606 section 3c). */
  flagsAction: ErrorAction;
  decode(input: AttributeInput): AttributeOf<T> | WireError;
  encode(attribute: AttributeOf<T>, writer: ByteWriter, context: ResolvedContext): void;
}

export function isWireError(value: object): value is WireError {
  return 'action' in value;
}
