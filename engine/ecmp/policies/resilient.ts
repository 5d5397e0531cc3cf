/**
 * Resilient buckets, after Linux resilient nexthop groups (net/ipv4/nexthop.c, `ip nexthop add ...
 * type resilient buckets N`): a table of B buckets, each owned by one next hop; a flow goes to the
 * owner of bucket `h % B`. Next hop i's exact share is s_i = B * w_i / W. A table is balanced when
 * every next hop owns floor(s_i) or ceil(s_i) buckets, and a rebuild from the previous table moves
 * as few buckets as that needs (docs/ecmp.md, "Resilient buckets"):
 *
 *   1. buckets of next hops that left become empty; the others keep their owners;
 *   2. a next hop owning more than ceil(s_i) gives up its highest buckets down to ceil(s_i);
 *   3. empty buckets, lowest first, go to next hops below floor(s_i), then to those below their quota
 *      (floor(s_i) plus one for the largest remainders, so quotas sum to B), in group order;
 *   4. a next hop still below floor(s_i) takes the highest bucket of the next hop furthest above its
 *      share, until none is below.
 *
 * So a leaving next hop's buckets, and only those, go to the others (the remaining shares only grow,
 * so step 2 and 4 find nothing to do when the weights are equal); a joining one takes buckets only
 * from next hops above their share. Unlike Linux there is no idle timer: the engine sees no traffic,
 * so buckets move at once.
 */
import { MAX_TABLE_SIZE, type CheckedGroup } from '../next-hop-group.ts';
import type { Result } from '../types.ts';
import type { CheckedPrevious, Policy } from './policy.ts';

/** Buckets when the configuration gives none: fine enough for weights of 1,000 next hops. */
export const DEFAULT_BUCKETS = 65_536;

const EMPTY = 0xffffffff;

/** floor(a / b) for non-negative integers below 2^53, exact where the float quotient rounds up. */
function floorDivide(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  if (quotient * b > a) quotient--;
  else if ((quotient + 1) * b <= a) quotient++;
  return quotient;
}

/** Owners carried over from the previous table, by next-hop name; empty where the owner left. */
function carryOver(entries: Uint32Array, have: number[], names: string[], previous: CheckedPrevious): Result<void> {
  if (previous.table.length !== entries.length) {
    return { ok: false, error: `resilient: the previous table has ${previous.table.length} buckets, not ${entries.length}` };
  }
  const index = new Map(names.map((name, i) => [name, i]));
  const carried = previous.group.names.map((name) => index.get(name) ?? EMPTY);
  for (let bucket = 0; bucket < entries.length; bucket++) {
    const owner = previous.table[bucket];
    if (owner >= carried.length) return { ok: false, error: `resilient: previous bucket ${bucket} names next hop ${owner}, beyond its group` };
    const now = carried[owner];
    if (now !== EMPTY) {
      entries[bucket] = now;
      have[now]++;
    }
  }
  return { ok: true, value: undefined };
}

/** The bucket table of `group`, rebalanced from `previous` when given. */
export function buildResilient(group: CheckedGroup, buckets: number, previous?: CheckedPrevious): Result<Uint32Array> {
  const count = group.names.length;
  if (!Number.isInteger(buckets) || buckets < count || buckets > MAX_TABLE_SIZE) {
    return { ok: false, error: `resilient: buckets must be an integer from the next-hop count (${count}) to ${MAX_TABLE_SIZE}, not ${buckets}` };
  }
  const total = group.total;
  const entries = new Uint32Array(buckets).fill(EMPTY);
  const have: number[] = new Array(count).fill(0);
  if (previous) {
    const carried = carryOver(entries, have, group.names, previous);
    if (!carried.ok) return carried;
  }
  // s_i * W, so that shares compare with bucket counts in exact integers (below 2^52).
  const scaled = group.weights.map((weight) => buckets * weight);

  for (let bucket = buckets - 1; bucket >= 0; bucket--) {
    const owner = entries[bucket];
    if (owner !== EMPTY && (have[owner] - 1) * total >= scaled[owner]) {
      entries[bucket] = EMPTY;
      have[owner]--;
    }
  }

  const floors = scaled.map((share) => floorDivide(share, total));
  const quotas = [...floors];
  const byRemainder = floors.map((_, i) => i).sort((a, b) => (scaled[b] - floors[b] * total) - (scaled[a] - floors[a] * total) || a - b);
  const left = buckets - floors.reduce((sum, floor) => sum + floor, 0);
  for (let k = 0; k < left; k++) quotas[byRemainder[k]]++;

  let empty = 0;
  for (const target of [floors, quotas]) {
    for (let i = 0; i < count; i++) {
      while (have[i] < target[i]) {
        while (empty < buckets && entries[empty] !== EMPTY) empty++;
        if (empty === buckets) break;
        entries[empty] = i;
        have[i]++;
      }
    }
  }

  // Every bucket is owned now, so a next hop below its floor means another is above its share.
  const top: number[] = new Array(count).fill(buckets - 1);
  for (let i = 0; i < count; i++) {
    while (have[i] < floors[i]) {
      let donor = 0;
      for (let j = 1; j < count; j++) if (have[j] * total - scaled[j] > have[donor] * total - scaled[donor]) donor = j;
      let bucket = top[donor];
      while (entries[bucket] !== donor) bucket--;
      top[donor] = bucket - 1;
      entries[bucket] = i;
      have[i]++;
      have[donor]--;
    }
  }
  return { ok: true, value: entries };
}

/** Resilient buckets as a registered policy; `size` is the bucket count. */
export const resilientPolicy: Policy = {
  name: 'resilient',
  defaultSize: DEFAULT_BUCKETS,
  build: (group, size, previous) => buildResilient(group, size ?? DEFAULT_BUCKETS, previous),
};
