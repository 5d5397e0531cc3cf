/**
 * Checks a next-hop group and reduces its weights by their greatest common divisor, so weights
 * taken from link bandwidth (10, 25, 100 Gbit/s as bit/s) become small integers (2, 5, 20) with the
 * same ratios: every policy depends only on the ratios, and smaller numbers keep modulo tables small
 * and the integer arithmetic of resilient buckets exact.
 */
import type { NextHopGroup, Result } from './types.ts';

/** Largest table of any policy; with 32-bit total weights, bucket arithmetic stays below 2^53. */
export const MAX_TABLE_SIZE = 1 << 20;

const MAX_WEIGHT = 0xffffffff;

/** A checked group: unique names, and weights divided by their gcd, summing to `total` < 2^32. */
export interface CheckedGroup {
  names: string[];
  weights: number[];
  total: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Checks `group`; names must be unique and non-empty, weights integers from 1 to 2^32 - 1. */
export function checkGroup(group: NextHopGroup): Result<CheckedGroup> {
  const { nextHops } = group;
  if (nextHops.length === 0) return { ok: false, error: 'a next-hop group needs at least one next hop' };
  const seen = new Set<string>();
  let divisor = 0;
  for (const { name, weight } of nextHops) {
    if (name.length === 0) return { ok: false, error: 'a next hop needs a name' };
    if (seen.has(name)) return { ok: false, error: `next hop ${name} appears twice` };
    seen.add(name);
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      return { ok: false, error: `next hop ${name}: weight must be an integer from 1 to ${MAX_WEIGHT}, not ${weight}` };
    }
    divisor = gcd(weight, divisor);
  }
  const weights = nextHops.map(({ weight }) => weight / divisor);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total > MAX_WEIGHT) return { ok: false, error: `weights divided by their gcd (${divisor}) still sum to ${total}, above ${MAX_WEIGHT}` };
  return { ok: true, value: { names: nextHops.map(({ name }) => name), weights, total } };
}
