/**
 * The decision process of RFC 4271 section 9.1.2.2 as an ordered chain of named tie-breakers,
 * with the extensions Porter implements inserted where their RFCs put them.
 */
import type { Path } from '../path.ts';
import { compareByAsPathLength } from './as-path-length.ts';
import { compareByClusterListLength } from './cluster-list-length.ts';
import { compareByEbgpOverIbgp } from './ebgp-over-ibgp.ts';
import { compareByIgpCost } from './igp-cost.ts';
import { compareByLlgrStale } from './llgr-stale.ts';
import { compareByLocalOrigin } from './local-origin.ts';
import { compareByLocalPref } from './local-pref.ts';
import { compareByMed } from './med.ts';
import { compareByOldestExternal } from './oldest-external.ts';
import { compareByOrigin } from './origin.ts';
import { compareByPathId } from './path-id.ts';
import { compareByPeerAddress } from './peer-address.ts';
import { compareByRouterId } from './router-id.ts';
import type { RankOptions, TieBreaker, TieBreakerName } from './types.ts';
import { compareByValidity } from './validity.ts';

export const CHAIN: readonly TieBreaker[] = [
  { name: 'validity', compare: compareByValidity },
  { name: 'llgr-stale', compare: compareByLlgrStale },
  { name: 'local-pref', compare: compareByLocalPref },
  { name: 'local-origin', compare: compareByLocalOrigin },
  { name: 'as-path-length', compare: compareByAsPathLength },
  { name: 'origin', compare: compareByOrigin },
  { name: 'med', compare: compareByMed },
  { name: 'ebgp-over-ibgp', compare: compareByEbgpOverIbgp },
  { name: 'igp-cost', compare: compareByIgpCost },
  { name: 'oldest-external', compare: compareByOldestExternal },
  { name: 'router-id', compare: compareByRouterId },
  { name: 'cluster-list-length', compare: compareByClusterListLength },
  { name: 'peer-address', compare: compareByPeerAddress },
  { name: 'path-id', compare: compareByPathId },
];

const INDEX_BY_NAME = new Map(CHAIN.map((tieBreaker, index) => [tieBreaker.name, index]));

/** Position of a tie-breaker in the chain. */
export function tieBreakerIndex(name: TieBreakerName): number {
  return INDEX_BY_NAME.get(name) as number;
}

export const MED_INDEX = tieBreakerIndex('med');

/** Index of the first tie-breaker that tells `a` and `b` apart, or -1 when none does. */
export function firstDifference(a: Path, b: Path, options: RankOptions): number {
  for (let index = 0; index < CHAIN.length; index++) {
    if (CHAIN[index].compare(a, b, options) !== 0) return index;
  }
  return -1;
}

/**
 * The chain as one comparator. A total order between paths that share a neighbour AS (or with
 * `alwaysCompareMed`); between paths of different neighbour ASes it skips MED, which is also a
 * total order, but the two mixed are not: see preference-order.ts.
 */
export function compareByChain(a: Path, b: Path, options: RankOptions): number {
  for (const { compare } of CHAIN) {
    const result = compare(a, b, options);
    if (result !== 0) return result;
  }
  return 0;
}
