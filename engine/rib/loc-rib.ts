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

export function destinationKey(family: Family, prefix: string): string {
  return `${family} ${prefix}`;
}

export function findDestination(rib: LocRib, family: Family, prefix: string): Destination | undefined {
  return rib.destinations.get(destinationKey(family, prefix));
}

/**
 * Applies a batch of path changes, ranks each destination they touched once, and returns the
 * changes in best path and multipath set in the order the destinations were first touched.
 * Destinations left without paths are dropped.
 */
export function applyPathChanges(rib: LocRib, changes: PathChange[]): DestinationChange[] {
  const touched = new Map<string, Destination>();
  for (const change of changes) {
    const key = destinationKey(change.family, change.prefix);
    let destination = rib.destinations.get(key);
    if (change.type === 'set') {
      if (destination === undefined) {
        destination = createDestination(change.family, change.prefix);
        rib.destinations.set(key, destination);
      }
      if (setPath(destination, change.path)) touched.set(key, destination);
    } else if (destination !== undefined && removePath(destination, change.peerAddress, change.pathId)) {
      touched.set(key, destination);
    }
  }
  return recomputeAll(rib, touched);
}

/** Ranks every destination again under new options, returning what changed. */
export function setRankOptions(rib: LocRib, options: RankOptions): DestinationChange[] {
  rib.options = options;
  for (const destination of rib.destinations.values()) invalidate(destination);
  return recomputeAll(rib, rib.destinations);
}

function recomputeAll(rib: LocRib, destinations: Map<string, Destination>): DestinationChange[] {
  const changed: DestinationChange[] = [];
  for (const [key, destination] of destinations) {
    const change = recompute(destination, rib.options);
    if (change) changed.push(change);
    if (destination.paths.size === 0) rib.destinations.delete(key);
  }
  return changed;
}
