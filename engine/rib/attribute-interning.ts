/**
 * Attribute interning: identical attribute sets (next hops and path attributes) are stored once
 * and referenced by id, with a count of the routes that hold them. Many prefixes share few sets
 * (every VIP a node announces carries the same attributes), so the RIB keeps one copy of each,
 * paths point at it, and what is derived from a set for an outbound context (see `DerivedCache`)
 * is computed once per set instead of once per prefix. Interned sets are shared: never mutate one.
 */
import type { AttributeSet, PathAttribute } from '../wire/types.ts';
import { sortByCode } from './attributes.ts';

export interface InternedSet {
  readonly id: number;
  /** Attributes sorted by type code, so equal sets in any order are one. */
  readonly set: AttributeSet;
  /** The text the set is interned by. */
  readonly key: string;
  /** Routes holding the set; at 0 it is forgotten. */
  refs: number;
}

export interface AttributeInterner {
  byKey: Map<string, InternedSet>;
  /** From a set's attribute list back to its entry: paths keep the list, not the entry. */
  byAttributes: WeakMap<readonly PathAttribute[], InternedSet>;
  nextId: number;
}

export function createInterner(): AttributeInterner {
  return { byKey: new Map(), byAttributes: new WeakMap(), nextId: 1 };
}

/** The key of a set: equal keys, equal sets (attribute order aside). */
export function interningKey(nextHops: readonly string[], attributes: readonly PathAttribute[]): string {
  return JSON.stringify([nextHops, sortByCode(attributes)]);
}

/** The entry of a set, added when new; its reference count is left as it is. */
export function intern(interner: AttributeInterner, set: AttributeSet): InternedSet {
  const key = interningKey(set.nextHops, set.attributes);
  const known = interner.byKey.get(key);
  if (known !== undefined) return known;
  const attributes = Object.freeze(sortByCode(set.attributes)) as PathAttribute[];
  const nextHops = Object.freeze([...set.nextHops]) as string[];
  const entry: InternedSet = { id: interner.nextId++, set: { nextHops, attributes }, key, refs: 0 };
  interner.byKey.set(key, entry);
  interner.byAttributes.set(attributes, entry);
  return entry;
}

/** Interns a set and counts one more route holding it. */
export function acquire(interner: AttributeInterner, set: AttributeSet): InternedSet {
  const entry = intern(interner, set);
  entry.refs += 1;
  return entry;
}

/**
 * Counts one more holder of an entry met before. An entry forgotten meanwhile is interned again,
 * so the returned entry, not the one given, is the one to keep.
 */
export function acquireEntry(interner: AttributeInterner, entry: InternedSet): InternedSet {
  return interner.byKey.get(entry.key) === entry ? (entry.refs++, entry) : acquire(interner, entry.set);
}

/** One holder fewer; the set is forgotten when none is left. */
export function release(interner: AttributeInterner, entry: InternedSet): void {
  if (interner.byKey.get(entry.key) !== entry) return;
  entry.refs -= 1;
  if (entry.refs <= 0) interner.byKey.delete(entry.key);
}

/** The entry whose shared lists these are (a path's `nextHops` and `attributes`), if any. */
export function entryOf(
  interner: AttributeInterner,
  nextHops: readonly string[],
  attributes: readonly PathAttribute[],
): InternedSet | undefined {
  const entry = interner.byAttributes.get(attributes);
  const live = entry !== undefined && interner.byKey.get(entry.key) === entry;
  return live && entry.set.nextHops === nextHops ? entry : undefined;
}

/** Sets in use. */
export function internedCount(interner: AttributeInterner): number {
  return interner.byKey.size;
}

/**
 * Values derived from interned sets, one per (set, context): the outbound form of a set for an
 * update group, say. Held weakly by the set's entry, so a forgotten set takes its values along.
 */
export class DerivedCache<T> {
  private readonly values = new WeakMap<InternedSet, Map<string, T>>();

  /** The value for `entry` in `context`, made by `make` the first time. */
  get(entry: InternedSet, context: string, make: () => T): T {
    let byContext = this.values.get(entry);
    if (byContext === undefined) {
      byContext = new Map();
      this.values.set(entry, byContext);
    }
    if (byContext.has(context)) return byContext.get(context) as T;
    const value = make();
    byContext.set(context, value);
    return value;
  }
}
