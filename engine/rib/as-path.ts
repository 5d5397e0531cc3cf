/**
 * What route selection reads from an AS_PATH: its length, the neighbour AS for MED comparison,
 * and a key that tells two paths apart AS by AS.
 */
import type { AsPathSegment } from '../wire/types.ts';

/**
 * Path length for route selection: an AS_SET counts as one AS however many it holds (RFC 4271
 * section 9.1.2.2 a), and confederation segments count for nothing (RFC 5065 section 5.3).
 */
export function asPathLength(segments: AsPathSegment[]): number {
  let length = 0;
  for (const segment of segments) {
    if (segment.type === 'sequence') length += segment.asns.length;
    else if (segment.type === 'set') length += 1;
  }
  return length;
}

/**
 * neighborAS(n) of RFC 4271 section 9.1.2.2 c: the first AS of the path's leading AS_SEQUENCE,
 * past any confederation segments (RFC 5065 section 5.3: member-AS hops are internal). A path that
 * is empty or starts with an AS_SET was originated or aggregated in this AS, so its neighbour AS
 * is the local AS.
 */
export function neighborAs(segments: AsPathSegment[], localAs: number): number {
  for (const segment of segments) {
    if (segment.type === 'confed-sequence' || segment.type === 'confed-set') continue;
    if (segment.type === 'sequence' && segment.asns.length > 0) return segment.asns[0];
    break;
  }
  return localAs;
}

/**
 * The AS path as text, `65001 65002 {65003,65004} (65100)`: sequences as numbers, sets in braces,
 * confederation sequences in parentheses and confederation sets in square brackets. Equal keys
 * mean the same ASes in the same order, which multipath without "relax" requires.
 */
export function asPathKey(segments: AsPathSegment[]): string {
  return segments
    .map((segment) => {
      const asns = segment.asns.join(segment.type === 'set' || segment.type === 'confed-set' ? ',' : ' ');
      switch (segment.type) {
        case 'sequence':
          return asns;
        case 'set':
          return `{${asns}}`;
        case 'confed-sequence':
          return `(${asns})`;
        case 'confed-set':
          return `[${asns}]`;
      }
    })
    .join(' ');
}
