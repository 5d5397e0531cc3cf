/**
 * Structured metadata crosses threads as msgpackr records. Both sides build their Packr from the
 * same predeclared structures and never add to them (`maxSharedStructures` is their count): a shape
 * one thread learnt and the other did not would be unreadable. Shapes not listed here still pack,
 * with their record definition written inline in the message.
 */
import { Packr } from 'msgpackr';

/** The key lists of the records that recur in every batch, most frequent first. */
const STRUCTURES: string[][] = [
  // Path attributes (engine/wire/types.ts PathAttribute), and AS path segments.
  ['type', 'value'],
  ['type', 'segments'],
  ['type', 'asns'],
  ['type', 'values'],
  ['type', 'asn', 'address'],
  ['type'],
  // AttributeSet.
  ['nextHops', 'attributes'],
  // Decode metadata and its errors.
  ['attributeSets', 'endOfRib', 'errors', 'consumed'],
  ['message', 'offset', 'error'],
  ['action', 'code', 'subcode', 'reason', 'data'],
  ['action', 'code', 'subcode', 'reason', 'data', 'attribute'],
  // Ranking: RankPath, PathSource, PathRanking without and with MED, and the rank metadata.
  ['source', 'pathId', 'ranking'],
  ['peerAddress', 'peerBgpId', 'peerAs', 'localAs', 'kind', 'rrClient'],
  ['valid', 'grStale', 'llgrStale', 'localPref', 'asPathLength', 'asPath', 'origin', 'neighborAs', 'routerId',
    'clusterListLength', 'igpCost', 'peerAddress', 'receivedAt'],
  ['valid', 'grStale', 'llgrStale', 'localPref', 'asPathLength', 'asPath', 'origin', 'med', 'neighborAs', 'routerId',
    'clusterListLength', 'igpCost', 'peerAddress', 'receivedAt'],
  ['paths', 'options'],
];

/** One Packr per thread, over its own copy of the structures (msgpackr writes into the array it is given). */
const packr = new Packr({ structures: STRUCTURES.map((keys) => [...keys]), maxSharedStructures: STRUCTURES.length });

/**
 * The record of `value`, copied into a buffer of its own: `pack()` answers a view into a buffer it reuses,
 * which must not be transferred (or read after the next pack).
 */
export function packRecord(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value));
}

/** The value of a record packed by `packRecord` on any thread. */
export function unpackRecord<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** The values of records packed by `packRecord` and laid end to end, in one pass. */
export function unpackRecords<T>(bytes: Uint8Array): T[] {
  return bytes.length === 0 ? [] : (packr.unpackMultiple(bytes) as T[]);
}
