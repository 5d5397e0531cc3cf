/**
 * Candidate paths in order of preference, with MED compared only where RFC 4271 allows it.
 *
 * Section 9.1.2.2 eliminates paths from the whole set step by step; at step c it removes, within
 * each neighbour AS, the paths whose MED is not that AS's lowest. Compared pair by pair, MED
 * answers "equal" across neighbour ASes, so the chain is not transitive and a sort (or a running
 * "better than the best so far") depends on arrival order: A beats B on MED, B beats C on IGP
 * cost, C beats A on IGP cost.
 *
 * Grouping makes it exact ("deterministic MED"): sort each neighbour AS's paths with the full
 * chain, which is a total order inside a group, then merge the groups, comparing group heads with
 * the chain (MED never applies between heads of different groups). The head of the merge is what
 * the RFC's elimination selects, and so is the head of what remains after taking it: the merge is
 * the order in which repeated selection would pick the paths.
 */
import type { Path } from '../path.ts';
import { compareByChain } from './chain.ts';
import { medGroup } from './med.ts';
import type { RankOptions } from './types.ts';

export interface PreferenceOrder {
  /** Every path, most preferred first. */
  ordered: Path[];
  /** The most preferred path of each MED group (see `medGroup`). */
  groupHeads: Map<number, Path>;
}

export function preferenceOrder(paths: Path[], options: RankOptions): PreferenceOrder {
  const groups = new Map<number, Path[]>();
  for (const path of paths) {
    const group = medGroup(path, options);
    const members = groups.get(group);
    if (members) members.push(path);
    else groups.set(group, [path]);
  }
  const groupHeads = new Map<number, Path>();
  const cursors: Cursor[] = [];
  for (const [group, members] of groups) {
    members.sort((a, b) => compareByChain(a, b, options));
    groupHeads.set(group, members[0]);
    cursors.push({ members, next: 0 });
  }
  const ordered = cursors.length <= 1 ? (cursors[0]?.members ?? []) : merge(cursors, options);
  return { ordered, groupHeads };
}

interface Cursor {
  members: Path[];
  next: number;
}

/** K-way merge of sorted groups through a binary heap of group cursors keyed by their next path. */
function merge(cursors: Cursor[], options: RankOptions): Path[] {
  const before = (i: number, j: number): boolean =>
    compareByChain(cursors[i].members[cursors[i].next], cursors[j].members[cursors[j].next], options) < 0;
  const swap = (i: number, j: number): void => {
    [cursors[i], cursors[j]] = [cursors[j], cursors[i]];
  };
  const siftDown = (start: number): void => {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let first = parent;
      if (left < cursors.length && before(left, first)) first = left;
      if (right < cursors.length && before(right, first)) first = right;
      if (first === parent) return;
      swap(parent, first);
      parent = first;
    }
  };
  for (let index = Math.floor(cursors.length / 2) - 1; index >= 0; index--) siftDown(index);

  const ordered: Path[] = [];
  while (cursors.length > 0) {
    const top = cursors[0];
    ordered.push(top.members[top.next]);
    top.next += 1;
    if (top.next === top.members.length) {
      const last = cursors.pop() as Cursor;
      if (cursors.length === 0) break;
      cursors[0] = last;
    }
    siftDown(0);
  }
  return ordered;
}
