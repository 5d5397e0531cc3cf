import type { Comparator } from './types.ts';

/** Lowest interior cost to the next hop wins (RFC 4271 section 9.1.2.2 e). */
export const compareByIgpCost: Comparator = (a, b) => a.ranking.igpCost - b.ranking.igpCost;
