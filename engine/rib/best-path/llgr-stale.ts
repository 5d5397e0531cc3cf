import type { Comparator } from './types.ts';

/**
 * A path marked LLGR_STALE is less preferred than any path that is not, before LOCAL_PREF is
 * looked at (RFC 9494 section 4.3). A path that is only GR-stale (RFC 4724) ranks as usual.
 */
export const compareByLlgrStale: Comparator = (a, b) => Number(a.ranking.llgrStale) - Number(b.ranking.llgrStale);
