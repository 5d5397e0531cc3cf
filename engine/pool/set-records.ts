/**
 * The attribute sets of an encode batch, as records packed once per set. Packing a hundred sets
 * cost the main thread more per batch than anything else it did for the encode task, yet the same
 * sets come again and again: the RIB interns them (engine/rib/attribute-interning.ts) and hands
 * every batch of a table dump, and every update group, the same set objects. So each set's record
 * is kept, by object, for as long as the set lives.
 *
 * A set given to the pool is therefore a value: changing one afterwards is not seen by later
 * batches. The RIB never changes an interned set; other callers make a new set instead.
 */
import type { AttributeSet } from '../wire/types.ts';
import { packRecord, unpackRecords } from './records.ts';

const recordOf = new WeakMap<AttributeSet, Uint8Array>();

function record(set: AttributeSet): Uint8Array {
  let packed = recordOf.get(set);
  if (packed === undefined) {
    packed = packRecord(set);
    recordOf.set(set, packed);
  }
  return packed;
}

/** The records of `sets`, end to end in one new buffer the caller may transfer. */
export function packSets(sets: readonly AttributeSet[]): Uint8Array {
  const records = sets.map(record);
  const bytes = new Uint8Array(records.reduce((size, packed) => size + packed.length, 0));
  let offset = 0;
  for (const packed of records) {
    bytes.set(packed, offset);
    offset += packed.length;
  }
  return bytes;
}

/** The sets packed by `packSets` on any thread. */
export function unpackSets(bytes: Uint8Array): AttributeSet[] {
  return unpackRecords<AttributeSet>(bytes);
}
