/**
 * RFC 4271 section 9.1.2.2 read literally, for tests: eliminate from the whole set, tie-breaker
 * by tie-breaker, with MED applied within each neighbour AS. Quadratic when repeated, so only a
 * reference for `rank` and `preferenceOrder` to be checked against.
 */
import type { Path } from '../path.ts';
import { CHAIN } from './chain.ts';
import { effectiveMed, medGroup } from './med.ts';
import type { RankOptions, TieBreakerName } from './types.ts';

export interface Elimination {
  /** The one path left at the end (unique keys leave one). */
  winner: Path;
  /** The tie-breaker at which each other path was removed. */
  eliminatedAt: Map<Path, TieBreakerName>;
  /** What was left after each tie-breaker, by name. */
  survivors: Map<TieBreakerName, Path[]>;
}

export function eliminate(paths: Path[], options: RankOptions): Elimination {
  let remaining = paths;
  const eliminatedAt = new Map<Path, TieBreakerName>();
  const survivors = new Map<TieBreakerName, Path[]>();
  for (const { name, compare } of CHAIN) {
    let kept: Path[];
    if (name === 'med') {
      const lowest = new Map<number, number>();
      for (const path of remaining) {
        const group = medGroup(path, options);
        lowest.set(group, Math.min(lowest.get(group) ?? Infinity, effectiveMed(path, options)));
      }
      kept = remaining.filter((path) => effectiveMed(path, options) === lowest.get(medGroup(path, options)));
    } else {
      const optimum = remaining.reduce((a, b) => (compare(a, b, options) <= 0 ? a : b));
      kept = remaining.filter((path) => compare(path, optimum, options) === 0);
    }
    for (const path of remaining) if (!kept.includes(path)) eliminatedAt.set(path, name);
    survivors.set(name, kept);
    remaining = kept;
  }
  return { winner: remaining[0], eliminatedAt, survivors };
}

/** The order in which repeated selection picks the paths. */
export function eliminationOrder(paths: Path[], options: RankOptions): Path[] {
  const order: Path[] = [];
  let remaining = paths;
  while (remaining.length > 0) {
    const { winner } = eliminate(remaining, options);
    order.push(winner);
    remaining = remaining.filter((path) => path !== winner);
  }
  return order;
}
