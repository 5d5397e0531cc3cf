/**
 * The Loc-RIB (RFC 4271 section 3.2): every destination by family and prefix, ranked with one set
 * of options. Changes come in batches; each touched destination is ranked once per batch, and the
 * batch answers with the destinations whose best path or multipath set changed.
 */
import type { RankOptions } from './best-path/types.ts';
import {
  createDestination,
  invalidate,
  recompute,
  removePath,
  setPath,
  type Destination,
  type DestinationChange,
} from './destination.ts';
import type { Path } from './path.ts';
import type { Family } from '../wire/types.ts';

export interface LocRib {
  options: RankOptions;
  /** Destinations by `destinationKey(family, prefix)`. */
  destinations: Map<string, Destination>;
}

/** One change to a prefix's candidates: a path set (added or replaced), or removed. */
export type PathChange =
  | { type: 'set'; family: Family; prefix: string; path: Path }
  | { type: 'remove'; family: Family; prefix: string; peerAddress: string; pathId: number };

export function createLocRib(options: RankOptions = {}): LocRib {
  return { options, destinations: new Map() };
}

/**
 * The key of a destination. A unicast prefix's text is its own key: an IPv6 prefix always has a
 * colon and an IPv4 one never does, so the two families cannot meet, and the string the decoder
 * made serves every table on the way with its hash computed once. Other families are qualified.
 */
export function destinationKey(family: Family, prefix: string): string {
  return family === 'ipv4-unicast' || family === 'ipv6-unicast' ? prefix : `${family} ${prefix}`;
}

/** The key of a route: its destination's, with the ADD-PATH identifier when there is one. */
export function routeKey(family: Family, prefix: string, pathId: number): string {
  const destination = destinationKey(family, prefix);
  return pathId === 0 ? destination : `${destination} ${pathId}`;
}

export function findDestination(rib: LocRib, family: Family, prefix: string): Destination | undefined {
  const destination = rib.destinations.get(destinationKey(family, prefix));
  return destination?.family === family ? destination : undefined;
}

/** What a batch did: the changes in best path and multipath set, and every destination whose candidates changed. */
export interface LocRibBatch {
  changes: DestinationChange[];
  /** In the order first touched, those left without paths (and so dropped) included. */
  touched: Destination[];
}

/**
 * Applies a batch of path changes, ranks each destination they touched once, and returns the
 * changes in best path and multipath set in the order the destinations were first touched.
 * Destinations left without paths are dropped.
 */
export function applyPathChanges(rib: LocRib, changes: PathChange[]): LocRibBatch {
  // A destination is clean between batches, so the first change that dirties it touches it.
  const touched: Destination[] = [];
  for (const change of changes) {
    const key = destinationKey(change.family, change.prefix);
    let destination = rib.destinations.get(key);
    if (change.type === 'set' && destination === undefined) {
      destination = createDestination(change.family, change.prefix);
      rib.destinations.set(key, destination);
    }
    if (destination === undefined) continue;
    const wasDirty = destination.dirty;
    const changed =
      change.type === 'set'
        ? setPath(destination, change.path)
        : removePath(destination, change.peerAddress, change.pathId);
    if (changed && !wasDirty) touched.push(destination);
  }
  return { changes: recomputeAll(rib, touched), touched };
}

/** Ranks every destination again under new options, returning what changed. */
export function setRankOptions(rib: LocRib, options: RankOptions): DestinationChange[] {
  rib.options = options;
  const all = [...rib.destinations.values()];
  for (const destination of all) invalidate(destination);
  return recomputeAll(rib, all);
}

function recomputeAll(rib: LocRib, destinations: Destination[]): DestinationChange[] {
  const changed: DestinationChange[] = [];
  for (const destination of destinations) {
    const change = recompute(destination, rib.options);
    if (change) changed.push(change);
    if (destination.paths.length === 0) rib.destinations.delete(destinationKey(destination.family, destination.prefix));
  }
  return changed;
}
