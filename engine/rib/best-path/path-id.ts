import type { Comparator } from './types.ts';

/**
 * Lowest ADD-PATH identifier wins. Paths from one peer differ only here (RFC 7911 section 3), so
 * this final step makes the order total and the outcome independent of arrival order.
 */
export const compareByPathId: Comparator = (a, b) => a.pathId - b.pathId;
