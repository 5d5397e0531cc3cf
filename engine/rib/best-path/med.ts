import type { Path } from '../path.ts';
import type { Comparator, RankOptions } from './types.ts';

/** The MED a path ranks with: its own, or for a path without one 0, or the highest with `missingMedWorst`. */
export function effectiveMed(path: Path, options: RankOptions): number {
  return path.ranking.med ?? (options.missingMedWorst ? 0xffffffff : 0);
}

/** Paths whose MEDs compare with each other share a group: the neighbour AS, or one group for all with `alwaysCompareMed`. */
export function medGroup(path: Path, options: RankOptions): number {
  return options.alwaysCompareMed ? -1 : path.ranking.neighborAs;
}

/**
 * Lower MULTI_EXIT_DISC wins, but only between paths from the same neighbour AS unless
 * `alwaysCompareMed` (RFC 4271 section 9.1.2.2 c). Between other paths it answers 0, which makes
 * the chain intransitive: `rank` therefore never sorts with it alone, but groups paths by
 * neighbour AS first, as the RFC's elimination over the whole set requires (preference-order.ts).
 */
export const compareByMed: Comparator = (a, b, options) =>
  medGroup(a, options) === medGroup(b, options) ? effectiveMed(a, options) - effectiveMed(b, options) : 0;
