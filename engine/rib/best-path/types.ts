/** Shapes of best-path selection: its options, its tie-breakers and its outcome. */
import type { Path } from '../path.ts';

/** The tie-breakers of the chain, in order (see chain.ts). */
export type TieBreakerName =
  | 'validity'
  | 'llgr-stale'
  | 'local-pref'
  | 'local-origin'
  | 'as-path-length'
  | 'origin'
  | 'med'
  | 'ebgp-over-ibgp'
  | 'igp-cost'
  | 'oldest-external'
  | 'router-id'
  | 'cluster-list-length'
  | 'peer-address'
  | 'path-id';

/** Which paths share traffic with the best one (equal-cost multipath). */
export interface MultipathOptions {
  /** The last tie-breaker a path must tie with the best on; it may lose at any later one. */
  upTo: TieBreakerName;
  /** Accept AS paths of equal length through different ASes ("multipath relax"); else the AS paths must be identical. */
  relaxAsPath?: boolean;
  /** Largest multipath set, the best included. */
  maximumPaths: number;
}

/** Knobs of route selection. Plain data, so that the same options rank in a worker or in Rust. */
export interface RankOptions {
  /** Compare MED between paths from different neighbour ASes too. */
  alwaysCompareMed?: boolean;
  /** A path without MED ranks as if its MED were the highest (4294967295) instead of 0. */
  missingMedWorst?: boolean;
  /** Skip the AS path length tie-breaker. */
  ignoreAsPathLength?: boolean;
  /** Between two external paths, prefer the older one before comparing router ids (RFC 5004). */
  preferOldestExternal?: boolean;
  /** Without it, the multipath set is the best path alone. */
  multipath?: MultipathOptions;
}

/** Negative when `a` is preferred to `b`, positive when `b` is, 0 when this tie-breaker cannot tell them apart. */
export type Comparator = (a: Path, b: Path, options: RankOptions) => number;

export interface TieBreaker {
  name: TieBreakerName;
  compare: Comparator;
}

/** A path that is not the best, the tie-breaker at which it was eliminated, and the path that eliminated it. */
export interface Loser {
  path: Path;
  reason: TieBreakerName;
  /** Absent when no path is valid, so none is best. */
  against?: Path;
}

/** The outcome of selection over a prefix's candidate paths. */
export interface Ranking {
  best?: Path;
  /** The best path first, then the paths that share traffic with it, in order of preference. */
  multipath: Path[];
  /** Every path but the best, in order of preference (multipath members included). */
  losers: Loser[];
}
