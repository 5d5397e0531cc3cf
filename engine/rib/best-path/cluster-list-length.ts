import type { Comparator } from './types.ts';

/**
 * Shorter CLUSTER_LIST wins, absent counting as zero; RFC 4456 section 9 inserts this step
 * between RFC 4271 section 9.1.2.2 f and g.
 */
export const compareByClusterListLength: Comparator = (a, b) =>
  a.ranking.clusterListLength - b.ranking.clusterListLength;
