/**
 * Modulo-N: flow hash modulo the number of next hops, the classic ECMP of routers (RFC 2992
 * section 4, "Modulo-N Hash"). Weights expand the table: next hop i fills weight_i consecutive slots
 * (weights reduced by their gcd), so `h % total` lands on i in proportion to its weight. Any change
 * of the group moves most flows; resilient and maglev exist for that.
 */
import { MAX_TABLE_SIZE, type CheckedGroup } from '../next-hop-group.ts';
import type { Result } from '../types.ts';
import type { Policy } from './policy.ts';

/** The modulo table: index i repeated weight_i times, in group order. */
export function buildModulo(group: CheckedGroup): Result<Uint32Array> {
  if (group.total > MAX_TABLE_SIZE) {
    return { ok: false, error: `modulo: weights sum to ${group.total} slots after gcd reduction, above ${MAX_TABLE_SIZE}` };
  }
  const entries = new Uint32Array(group.total);
  let slot = 0;
  for (const [index, weight] of group.weights.entries()) {
    entries.fill(index, slot, slot + weight);
    slot += weight;
  }
  return { ok: true, value: entries };
}

/** Modulo-N as a registered policy; it has no size of its own. */
export const moduloPolicy: Policy = {
  name: 'modulo',
  build: (group) => buildModulo(group),
};
