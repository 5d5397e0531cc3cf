import type { Comparator } from './types.ts';

/** Higher degree of preference wins; for BGP routes that is LOCAL_PREF (RFC 4271 section 9.1.1, section 5.1.5). */
export const compareByLocalPref: Comparator = (a, b) => b.ranking.localPref - a.ranking.localPref;
