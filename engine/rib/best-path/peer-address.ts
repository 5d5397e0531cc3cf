import type { Comparator } from './types.ts';

/** Lowest peer address wins (RFC 4271 section 9.1.2.2 g); IPv4 addresses compare as IPv4-mapped IPv6. */
export const compareByPeerAddress: Comparator = (a, b) =>
  a.ranking.peerAddress < b.ranking.peerAddress ? -1 : a.ranking.peerAddress > b.ranking.peerAddress ? 1 : 0;
