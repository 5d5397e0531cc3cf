/**
 * 4-octet AS numbers across 2-octet sessions (RFC 6793). A peer that did not announce the 4-octet
 * AS capability (an "OLD" speaker) carries AS_PATH and AGGREGATOR with 2-octet AS numbers, AS_TRANS
 * standing in for those that do not fit, and the full numbers ride along in AS4_PATH and
 * AS4_AGGREGATOR. The RIB holds the merged, 4-octet form only: merged on receipt, split again
 * when sending to such a peer.
 */
import type { AsPathSegment, PathAttribute } from '../wire/types.ts';
import { findAttribute, withAttribute, withoutAttributes } from './attributes.ts';
import { asPathLength } from './as-path.ts';

/** RFC 6793 section 9: the 2-octet AS standing in for a 4-octet one. */
export const AS_TRANS = 23456;

const isConfederation = (segment: AsPathSegment): boolean =>
  segment.type === 'confed-sequence' || segment.type === 'confed-set';

/**
 * Attributes received from a peer, in the RIB's form. From a 4-octet session, AS4_PATH and
 * AS4_AGGREGATOR must not be there and are discarded (RFC 6793 section 4.1); from a 2-octet one
 * they are merged into AS_PATH and AGGREGATOR (section 4.2.3).
 */
export function receivedAsPathAttributes(attributes: readonly PathAttribute[], fourOctetSession: boolean): PathAttribute[] {
  if (fourOctetSession) return withoutAttributes(attributes, 'as4-path', 'as4-aggregator');
  return mergeFromTwoOctetPeer(attributes);
}

/** RFC 6793 section 4.2.3: AS_PATH/AS4_PATH and AGGREGATOR/AS4_AGGREGATOR of an OLD speaker. */
export function mergeFromTwoOctetPeer(attributes: readonly PathAttribute[]): PathAttribute[] {
  const aggregator = findAttribute(attributes, 'aggregator');
  const as4Aggregator = findAttribute(attributes, 'as4-aggregator');
  const as4Path = findAttribute(attributes, 'as4-path');
  let merged = withoutAttributes(attributes, 'as4-path', 'as4-aggregator');
  // An AGGREGATOR other than AS_TRANS means an OLD speaker aggregated after the AS4_* attributes
  // were made: they are stale, and AS_PATH and AGGREGATOR stand as they are.
  if (aggregator !== undefined && as4Aggregator !== undefined && aggregator.asn !== AS_TRANS) return merged;
  if (aggregator !== undefined && as4Aggregator !== undefined) {
    merged = withAttribute(merged, { type: 'aggregator', asn: as4Aggregator.asn, address: as4Aggregator.address });
  }
  const asPath = findAttribute(attributes, 'as-path');
  if (asPath !== undefined && as4Path !== undefined) {
    merged = withAttribute(merged, { type: 'as-path', segments: mergeAsPaths(asPath.segments, as4Path.segments) });
  }
  return merged;
}

/**
 * RFC 6793 section 4.2.3: when AS_PATH counts at least as many AS numbers as AS4_PATH (counted as
 * route selection counts them, RFC 4271 section 9.1.2.2 and RFC 5065), the path is AS4_PATH with
 * as many leading AS numbers and segments of AS_PATH prepended as make the counts equal, plus
 * the confederation segments that lead or adjoin what is prepended; otherwise AS4_PATH is ignored.
 * Confederation segments in AS4_PATH are discarded first (section 3).
 */
export function mergeAsPaths(asPath: readonly AsPathSegment[], as4Path: readonly AsPathSegment[]): AsPathSegment[] {
  const as4 = as4Path.filter((segment) => !isConfederation(segment));
  let missing = asPathLength([...asPath]) - asPathLength(as4);
  if (missing < 0) return [...asPath];
  const leading: AsPathSegment[] = [];
  let index = 0;
  for (; index < asPath.length && missing > 0; index++) {
    const segment = asPath[index];
    if (segment.type === 'sequence' && segment.asns.length > missing) {
      leading.push({ type: 'sequence', asns: segment.asns.slice(0, missing) });
      missing = 0;
      index = asPath.length;
      break;
    }
    leading.push(segment);
    if (segment.type === 'sequence') missing -= segment.asns.length;
    else if (segment.type === 'set') missing -= 1;
  }
  for (; index < asPath.length && isConfederation(asPath[index]); index++) leading.push(asPath[index]);
  return joinSequences([...leading, ...as4]);
}

/** Adjacent AS_SEQUENCE segments as one, so the merged path reads as the sender's did. */
function joinSequences(segments: AsPathSegment[]): AsPathSegment[] {
  const joined: AsPathSegment[] = [];
  for (const segment of segments) {
    const last = joined.at(-1);
    if (last !== undefined && last.type === 'sequence' && segment.type === 'sequence') {
      joined[joined.length - 1] = { type: 'sequence', asns: [...last.asns, ...segment.asns] };
    } else {
      joined.push({ type: segment.type, asns: [...segment.asns] });
    }
  }
  return joined;
}

const fitsTwoOctets = (asn: number): boolean => asn <= 0xffff;

/**
 * Attributes for a 2-octet peer (RFC 6793 section 4.2.2): AS numbers that do not fit become
 * AS_TRANS in AS_PATH and AGGREGATOR; AS4_PATH (confederation segments excluded) and
 * AS4_AGGREGATOR carry the real ones, and are sent only when some number does not fit.
 */
export function forTwoOctetPeer(attributes: readonly PathAttribute[]): PathAttribute[] {
  let result = withoutAttributes(attributes, 'as4-path', 'as4-aggregator');
  const asPath = findAttribute(attributes, 'as-path');
  if (asPath !== undefined && !asPath.segments.every((segment) => segment.asns.every(fitsTwoOctets))) {
    const segments = asPath.segments.map((segment) => ({
      type: segment.type,
      asns: segment.asns.map((asn) => (fitsTwoOctets(asn) ? asn : AS_TRANS)),
    }));
    result = withAttribute(result, { type: 'as-path', segments });
    const as4Segments = asPath.segments.filter((segment) => !isConfederation(segment));
    if (!as4Segments.every((segment) => segment.asns.every(fitsTwoOctets))) {
      const segments = as4Segments.map((segment) => ({ type: segment.type, asns: [...segment.asns] }));
      result = [...result, { type: 'as4-path', segments }];
    }
  }
  const aggregator = findAttribute(attributes, 'aggregator');
  if (aggregator !== undefined && !fitsTwoOctets(aggregator.asn)) {
    result = withAttribute(result, { type: 'aggregator', asn: AS_TRANS, address: aggregator.address });
    result = [...result, { type: 'as4-aggregator', asn: aggregator.asn, address: aggregator.address }];
  }
  return result;
}
