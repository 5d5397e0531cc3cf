/**
 * A destination is one prefix of one family with its candidate paths, keyed by the peer each came
 * from and its ADD-PATH identifier, and the outcome of the last ranking. Paths are set and removed
 * freely; ranking runs again only when the candidates changed, and reports what changed in the best
 * path and the multipath set, which is what outbound UPDATEs are made of.
 */
import { rank } from './best-path/rank.ts';
import type { RankOptions, Ranking } from './best-path/types.ts';
import type { Family } from '../wire/types.ts';
import { isPathOf, samePath, sameSourceAndId, type Path } from './path.ts';
import { plainEqual } from './plain-equal.ts';

export interface Destination {
  family: Family;
  prefix: string;
  /**
   * Candidate paths, one per peer and path id, in the order they came. A list, not a map: a
   * destination has a handful of candidates, and a million destinations each with a map and its
   * key strings cost more memory than their paths.
   */
  paths: Path[];
  /** The outcome of the last ranking, losers and their reasons included. */
  ranking: Ranking;
  /** The candidates changed since `ranking` was computed. */
  dirty: boolean;
}

/** What a new ranking changed, for the caller to turn into UPDATEs. */
export interface DestinationChange {
  family: Family;
  prefix: string;
  /** Best before and after; absent before for a new prefix, absent after when none is left. */
  previousBest?: Path;
  best?: Path;
  /** Another path is best, or the best path now announces other next hops or attributes. */
  bestChanged: boolean;
  multipathChanged: boolean;
  /** Paths that joined the multipath set. */
  multipathAdded: Path[];
  /** Paths that left it (the path as it was when it was in the set). */
  multipathRemoved: Path[];
  /** Paths that stayed in it but now announce other next hops or attributes. */
  multipathUpdated: Path[];
}

/** The ranking of a destination never ranked: shared, as rankings are replaced, never edited. */
const NOT_RANKED: Ranking = Object.freeze({ multipath: [], losers: [] }) as Ranking;

export function createDestination(family: Family, prefix: string): Destination {
  return { family, prefix, paths: [], ranking: NOT_RANKED, dirty: false };
}

/** Adds a path, or replaces the one from the same peer with the same path id. False when that changes nothing. */
export function setPath(destination: Destination, path: Path): boolean {
  const { paths } = destination;
  const index = paths.findIndex((candidate) => sameSourceAndId(candidate, path));
  // A new list of the exact size: `push` would reserve room for 16 more in every destination.
  if (index < 0) destination.paths = [...paths, path];
  else if (samePath(paths[index], path)) return false;
  else paths[index] = path;
  destination.dirty = true;
  return true;
}

/** Removes the path a peer sent with a path id. False when there was none. */
export function removePath(destination: Destination, peerAddress: string, pathId: number): boolean {
  const index = destination.paths.findIndex((path) => isPathOf(path, peerAddress, pathId));
  if (index < 0) return false;
  destination.paths.splice(index, 1);
  destination.dirty = true;
  return true;
}

/**
 * Ranks the candidates again if they changed since the last ranking, and says what changed in the
 * best path and the multipath set; undefined when neither did.
 */
export function recompute(destination: Destination, options: RankOptions): DestinationChange | undefined {
  if (!destination.dirty) return undefined;
  destination.dirty = false;
  const previous = destination.ranking;
  const next = rank(destination.paths, options);
  destination.ranking = next;
  return changeBetween(destination, previous, next);
}

/** Marks the destination for ranking again, as when the options changed. */
export function invalidate(destination: Destination): void {
  destination.dirty = true;
}

function changeBetween(destination: Destination, previous: Ranking, next: Ranking): DestinationChange | undefined {
  // Multipath sets are short (at most `maximumPaths`), so a scan beats building maps of them.
  const multipathAdded = next.multipath.filter((path) => sameIn(previous.multipath, path) === undefined);
  const multipathRemoved = previous.multipath.filter((path) => sameIn(next.multipath, path) === undefined);
  const multipathUpdated = next.multipath.filter((path) => {
    const old = sameIn(previous.multipath, path);
    return old !== undefined && !sameAnnouncement(old, path);
  });
  const bestChanged = !sameAnnouncement(previous.best, next.best);
  const multipathChanged = multipathAdded.length + multipathRemoved.length + multipathUpdated.length > 0;
  if (!bestChanged && !multipathChanged) return undefined;
  return {
    family: destination.family,
    prefix: destination.prefix,
    ...(previous.best !== undefined && { previousBest: previous.best }),
    ...(next.best !== undefined && { best: next.best }),
    bestChanged,
    multipathChanged,
    multipathAdded,
    multipathRemoved,
    multipathUpdated,
  };
}

/** The path of `paths` from the same peer with the same path id as `path`. */
function sameIn(paths: readonly Path[], path: Path): Path | undefined {
  return paths.find((candidate) => sameSourceAndId(candidate, path));
}

/**
 * Whether announcing `b` instead of `a` would send the same thing: the same path (peer and path
 * id) with the same next hops, attributes and LLGR-stale mark (RFC 9494 section 4.2 adds LLGR_STALE
 * when a stale path is announced). A change of IGP cost alone is not news to peers.
 */
function sameAnnouncement(a: Path | undefined, b: Path | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    sameSourceAndId(a, b) &&
    a.ranking.llgrStale === b.ranking.llgrStale &&
    plainEqual(a.nextHops, b.nextHops) &&
    plainEqual(a.attributes, b.attributes)
  );
}
