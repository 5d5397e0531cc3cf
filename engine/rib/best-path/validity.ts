import type { Comparator } from './types.ts';

/**
 * A path whose next hop does not resolve, or that the validity hook rejects, is excluded from the
 * decision (RFC 4271 section 9.1.2). As the first tie-breaker it puts such paths after every valid
 * one; `rank` never makes one best.
 */
export const compareByValidity: Comparator = (a, b) => Number(b.ranking.valid) - Number(a.ranking.valid);
