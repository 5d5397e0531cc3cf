import type { Comparator } from './types.ts';

/**
 * Between two external paths, the one received first wins, so that the best path does not flap
 * between external paths that differ only in router id (RFC 5004 section 2). Off unless
 * `preferOldestExternal`, since it makes the outcome depend on arrival order.
 */
export const compareByOldestExternal: Comparator = (a, b, options) =>
  options.preferOldestExternal && a.source.kind === 'ebgp' && b.source.kind === 'ebgp'
    ? a.ranking.receivedAt - b.ranking.receivedAt
    : 0;
