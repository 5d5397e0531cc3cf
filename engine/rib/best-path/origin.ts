import type { Comparator } from './types.ts';

/** Lowest ORIGIN wins: IGP, then EGP, then INCOMPLETE (RFC 4271 section 9.1.2.2 b). */
export const compareByOrigin: Comparator = (a, b) => a.ranking.origin - b.ranking.origin;
