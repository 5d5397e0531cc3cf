import type { Comparator } from './types.ts';

/**
 * Shorter AS path wins, an AS_SET counting as one AS (RFC 4271 section 9.1.2.2 a) and
 * confederation segments as none (RFC 5065 section 5.3). Skipped with `ignoreAsPathLength`.
 */
export const compareByAsPathLength: Comparator = (a, b, options) =>
  options.ignoreAsPathLength ? 0 : a.ranking.asPathLength - b.ranking.asPathLength;
