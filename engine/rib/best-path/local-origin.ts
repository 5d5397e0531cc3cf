import type { Comparator } from './types.ts';

/**
 * A path this speaker originates wins over a learned one of the same LOCAL_PREF. Not an RFC 4271
 * step, but what Cisco, FRR and GoBGP all do: it keeps a speaker announcing its own routes rather
 * than a copy reflected back to it.
 */
export const compareByLocalOrigin: Comparator = (a, b) =>
  Number(b.source.kind === 'local') - Number(a.source.kind === 'local');
