/**
 * The RIBs as the speaker shows them: plain JSON-ready rows, with every Loc-RIB path saying whether
 * it is best, in the multipath set, and otherwise the tie-breaker it lost at (RFC 4271 section
 * 9.1.2.2, best-path/chain.ts).
 */
import type { Destination } from '../rib/destination.ts';
import type { AdjRibInRoute } from '../rib/adj-rib-in.ts';
import type { AdvertisedRoute } from '../rib/rib.ts';
import type { Family, PathAttribute } from '../wire/types.ts';

/** What names a path we originate, in place of a peer's address. */
export const LOCAL_PEER = 'local';

export interface LocRibPath {
  peer: string;
  pathId: number;
  nextHops: string[];
  attributes: PathAttribute[];
  best: boolean;
  multipath: boolean;
  /** The tie-breaker this path lost at; null for the best path. */
  reason: string | null;
  /** Kept through its peer's restart: `gr`, or `llgr` when long-lived. */
  stale: 'gr' | 'llgr' | null;
}

export interface LocRibEntry {
  prefix: string;
  paths: LocRibPath[];
}

export interface RibRoute {
  prefix: string;
  pathId: number;
  nextHops: string[];
  attributes: PathAttribute[];
}

export interface AdjRibInEntry extends RibRoute {
  stale: 'gr' | 'llgr' | null;
}

export function locRibEntry(destination: Destination): LocRibEntry {
  const { best, multipath, losers } = destination.ranking;
  const reasons = new Map(losers.map((loser) => [loser.path, loser.reason]));
  const ordered = [...(best !== undefined ? [best] : []), ...losers.map((loser) => loser.path)];
  for (const path of destination.paths) if (!ordered.includes(path)) ordered.push(path);
  return {
    prefix: destination.prefix,
    paths: ordered.map((path) => ({
      peer: path.source.kind === 'local' ? LOCAL_PEER : path.source.peerAddress,
      pathId: path.pathId,
      nextHops: [...path.nextHops],
      attributes: [...path.attributes],
      best: path === best,
      multipath: multipath.includes(path),
      reason: path === best ? null : (reasons.get(path) ?? null),
      stale: path.ranking.llgrStale ? 'llgr' : path.ranking.grStale ? 'gr' : null,
    })),
  };
}

export function adjRibInEntry(route: AdjRibInRoute): AdjRibInEntry {
  return {
    prefix: route.prefix,
    pathId: route.pathId,
    nextHops: [...route.path.nextHops],
    attributes: [...route.path.attributes],
    stale: route.stale ?? null,
  };
}

export function adjRibOutEntry(route: AdvertisedRoute): RibRoute {
  return { prefix: route.prefix, pathId: route.pathId, nextHops: route.nextHops, attributes: route.attributes };
}

/** Rows of one family, or of all when none is named. */
export function ofFamily<T extends { family: Family; prefix: string }>(rows: T[], family: Family | undefined): T[] {
  return rows.filter((row) => family === undefined || row.family === family);
}
