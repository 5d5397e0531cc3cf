/**
 * Best path and multipath over many destinations at once, on plain data: the same `rank` the RIB
 * runs (engine/rib/best-path/rank.ts), with its outcome written as columns of path indices.
 */
import { CHAIN, tieBreakerIndex } from '../rib/best-path/chain.ts';
import { rank } from '../rib/best-path/rank.ts';
import type { Path } from '../rib/path.ts';
import { BEST_REASON, type RankBatch, type RankBatchResult, type RankPath } from './types.ts';

/** The part of a path that ranking reads. */
export function rankPathOf(path: Path): RankPath {
  return { source: path.source, pathId: path.pathId, ranking: path.ranking };
}

/** A Path for `rank`: no tie-breaker reads attributes or next hops, so they stay empty. */
function asPath(path: RankPath): Path {
  return { source: path.source, pathId: path.pathId, nextHops: [], attributes: [], ranking: path.ranking };
}

/** Ranks every destination of the batch (offsets already checked, see validate.ts). */
export function rankBatch(batch: RankBatch): RankBatchResult {
  const { offsets, options } = batch;
  const destinations = offsets.length - 1;
  const paths = batch.paths.map(asPath);
  const index = new Map<Path, number>(paths.map((path, i) => [path, i]));
  const best = new Int32Array(destinations).fill(-1);
  const multipathOffsets = new Uint32Array(destinations + 1);
  const multipath: number[] = [];
  const reason = new Uint8Array(paths.length).fill(BEST_REASON);
  const against = new Int32Array(paths.length).fill(-1);
  for (let d = 0; d < destinations; d++) {
    const ranking = rank(paths.slice(offsets[d], offsets[d + 1]), options);
    if (ranking.best !== undefined) best[d] = index.get(ranking.best) as number;
    for (const path of ranking.multipath) multipath.push(index.get(path) as number);
    multipathOffsets[d + 1] = multipath.length;
    for (const loser of ranking.losers) {
      const at = index.get(loser.path) as number;
      reason[at] = tieBreakerIndex(loser.reason);
      if (loser.against !== undefined) against[at] = index.get(loser.against) as number;
    }
  }
  return { best, multipathOffsets, multipath: Uint32Array.from(multipath), reason, against };
}

/** The tie-breaker name of a `reason` code, or undefined for the best path. */
export function reasonName(code: number): string | undefined {
  return code === BEST_REASON ? undefined : CHAIN[code]?.name;
}
