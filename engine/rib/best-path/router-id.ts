import type { Comparator } from './types.ts';

/**
 * Lowest BGP Identifier of the advertising speaker wins (RFC 4271 section 9.1.2.2 f). A reflected
 * path carries ORIGINATOR_ID, which stands in for the BGP Identifier (RFC 4456 section 9).
 */
export const compareByRouterId: Comparator = (a, b) => a.ranking.routerId - b.ranking.routerId;
