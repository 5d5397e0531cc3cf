import type { Comparator } from './types.ts';

/**
 * A path learned from an external peer wins over one learned from an internal peer (RFC 4271
 * section 9.1.2.2 d). Locally originated paths were told apart before this step.
 */
export const compareByEbgpOverIbgp: Comparator = (a, b) =>
  Number(b.source.kind === 'ebgp') - Number(a.source.kind === 'ebgp');
