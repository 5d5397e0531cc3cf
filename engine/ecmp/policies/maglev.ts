/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, section 3.4): each next hop walks its own permutation of the M table entries, given by
 * an offset and a skip from two hashes of its name, and next hops take turns claiming the next free
 * entry of their permutation until the table is full. M is prime, so every skip from 1 to M - 1
 * visits all entries. Entries are nearly equal per next hop (at most one apart with equal weights),
 * and removing a next hop changes few entries beyond its own.
 *
 * Weights: each round a next hop earns its weight in credit and takes one turn per `maxWeight`
 * credit it holds, so with equal weights every next hop takes one turn per round, as in the paper,
 * and otherwise it claims entries in proportion to its weight.
 */
import { MAX_TABLE_SIZE, type CheckedGroup } from '../next-hop-group.ts';
import type { Result } from '../types.ts';
import { xxh32Bytes } from '../xxh32.ts';
import type { Policy } from './policy.ts';

/** The paper's example size, and a prime: 65,537 = 2^16 + 1. */
export const DEFAULT_MAGLEV_SIZE = 65_537;

/** XXH32 seeds of the two hashes of a next hop's name (h1 and h2 of the paper). */
export const OFFSET_SEED = 0;
export const SKIP_SEED = 1;

/** A free entry while filling, in an Int32Array: comparing small integers keeps V8 on its fast path. */
const EMPTY = -1;
const encoder = new TextEncoder();

/** Whether `n` is prime, by trial division (table sizes are at most 2^20). */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Where a next hop's permutation starts and how it steps, for a table of `size` entries. */
export function permutationOf(name: string, size: number): { offset: number; skip: number } {
  const bytes = encoder.encode(name);
  return { offset: xxh32Bytes(bytes, OFFSET_SEED) % size, skip: (xxh32Bytes(bytes, SKIP_SEED) % (size - 1)) + 1 };
}

/** The paper's population loop (Pseudocode 1), with weighted turns; `size` must be prime. */
export function fillMaglev(offsets: number[], skips: number[], weights: number[], size: number): Uint32Array {
  const entries = new Int32Array(size).fill(EMPTY);
  const count = offsets.length;
  const position = [...offsets];
  const credit: number[] = new Array(count).fill(0);
  const maxWeight = Math.max(...weights);
  let filled = 0;
  for (;;) {
    for (let i = 0; i < count; i++) {
      credit[i] += weights[i];
      if (credit[i] < maxWeight) continue;
      credit[i] -= maxWeight;
      const skip = skips[i];
      let entry = position[i];
      while (entries[entry] !== EMPTY) {
        entry += skip;
        if (entry >= size) entry -= size;
      }
      entries[entry] = i;
      entry += skip;
      position[i] = entry >= size ? entry - size : entry;
      if (++filled === size) return new Uint32Array(entries.buffer);
    }
  }
}

/** The Maglev lookup table of `group` for a prime `size` at least the next-hop count. */
export function buildMaglev(group: CheckedGroup, size: number): Result<Uint32Array> {
  const count = group.names.length;
  if (!Number.isInteger(size) || size < count || size > MAX_TABLE_SIZE || !isPrime(size)) {
    return { ok: false, error: `maglev: size must be a prime from the next-hop count (${count}) to ${MAX_TABLE_SIZE}, not ${size}` };
  }
  const permutations = group.names.map((name) => permutationOf(name, size));
  const offsets = permutations.map(({ offset }) => offset);
  const skips = permutations.map(({ skip }) => skip);
  return { ok: true, value: fillMaglev(offsets, skips, group.weights, size) };
}

/** Maglev as a registered policy; `size` is M. */
export const maglevPolicy: Policy = {
  name: 'maglev',
  defaultSize: DEFAULT_MAGLEV_SIZE,
  build: (group, size) => buildMaglev(group, size ?? DEFAULT_MAGLEV_SIZE),
};
