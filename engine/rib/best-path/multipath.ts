/**
 * Equal-cost multipath: which paths share traffic with the best one. An equivalence, kept apart
 * from preference as BIRD keeps "mergeable" apart from "better": a path joins when selection could
 * not tell it from the best through the configured tie-breaker.
 */
import type { Path } from '../path.ts';
import { tieBreakerIndex } from './chain.ts';
import type { Loser, MultipathOptions } from './types.ts';

/**
 * A losing path is equivalent to the best when it was eliminated after `upTo`: it ties with the
 * best on every earlier tie-breaker, and no lower MED from its own neighbour AS removed it. Unless
 * `relaxAsPath`, its AS path must also be the best's, AS for AS.
 */
export function isMultipathEquivalent(best: Path, loser: Loser, multipath: MultipathOptions): boolean {
  if (tieBreakerIndex(loser.reason) <= tieBreakerIndex(multipath.upTo)) return false;
  return multipath.relaxAsPath === true || loser.path.ranking.asPath === best.ranking.asPath;
}

/** The best path, then the equivalent losers in order of preference, at most `maximumPaths` in all. */
export function selectMultipath(best: Path, losers: Loser[], multipath: MultipathOptions | undefined): Path[] {
  const selected = [best];
  if (!multipath) return selected;
  for (const loser of losers) {
    if (selected.length >= multipath.maximumPaths) break;
    if (isMultipathEquivalent(best, loser, multipath)) selected.push(loser.path);
  }
  return selected;
}
