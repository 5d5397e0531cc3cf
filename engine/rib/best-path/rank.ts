/**
 * Best-path selection over a prefix's candidate paths: the best, its multipath set, and for every
 * other path the tie-breaker that eliminated it and the path it lost to.
 */
import type { Path } from '../path.ts';
import { CHAIN, firstDifference, MED_INDEX } from './chain.ts';
import { compareByMed, medGroup } from './med.ts';
import { selectMultipath } from './multipath.ts';
import { preferenceOrder } from './preference-order.ts';
import type { Loser, RankOptions, Ranking } from './types.ts';

export function rank(paths: Path[], options: RankOptions): Ranking {
  // Most destinations have one candidate: the chain below would come to the same with more work.
  if (paths.length === 1) {
    const [only] = paths;
    if (!only.ranking.valid) return { multipath: [], losers: [{ path: only, reason: 'validity' }] };
    return { best: only, multipath: [only], losers: [] };
  }
  const { ordered, groupHeads } = preferenceOrder(paths, options);
  const [first, ...rest] = ordered;
  if (first === undefined || !first.ranking.valid) {
    return { multipath: [], losers: ordered.map((path) => ({ path, reason: 'validity' })) };
  }
  const best = first;
  const losers = rest.map((path) => eliminate(best, path, groupHeads, options));
  return { best, multipath: selectMultipath(best, losers, options.multipath), losers };
}

/**
 * Where RFC 4271 section 9.1.2.2's elimination removes `path`: at the first tie-breaker where it
 * differs from the best, unless it ties with the best up to MED and comes from another neighbour
 * AS. Then its own AS's most preferred path, which also survived up to MED, removes it at MED when
 * its MED is higher; otherwise it survives MED and the best removes it later.
 */
function eliminate(best: Path, path: Path, groupHeads: Map<number, Path>, options: RankOptions): Loser {
  const index = firstDifference(best, path, options);
  if (index > MED_INDEX || index < 0) {
    const head = groupHeads.get(medGroup(path, options)) as Path;
    if (compareByMed(head, path, options) < 0) return { path, reason: 'med', against: head };
  }
  return { path, reason: CHAIN[index < 0 ? CHAIN.length - 1 : index].name, against: best };
}
