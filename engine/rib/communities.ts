/**
 * Communities the RIB acts on, and edits of the three community attributes: standard (RFC 1997),
 * extended (RFC 4360, with link bandwidth) and large (RFC 8092).
 */
import type { ExtendedCommunity, PathAttribute } from '../wire/types.ts';
import { findAttribute, withAttribute, withoutAttributes } from './attributes.ts';
import { plainEqual } from './plain-equal.ts';

export { LLGR_STALE } from './path.ts';

/** RFC 1997: not advertised outside the AS (or confederation). */
export const NO_EXPORT = '65535:65281';
/** RFC 1997: not advertised to any peer. */
export const NO_ADVERTISE = '65535:65282';
/** RFC 1997: not advertised to external peers, confederation members included. */
export const NO_EXPORT_SUBCONFED = '65535:65283';
/** RFC 9494 section 3.3: not kept as long-lived stale when its peer goes away. */
export const NO_LLGR = '65535:7';

/** Replace the list (`set`), then drop (`remove`), then append what is missing (`add`). */
export interface CommunityEdit<T> {
  set?: T[];
  add?: T[];
  remove?: T[];
}

export function communitiesOf(attributes: readonly PathAttribute[]): string[] {
  return findAttribute(attributes, 'communities')?.values ?? [];
}

export function hasCommunity(attributes: readonly PathAttribute[], community: string): boolean {
  return communitiesOf(attributes).includes(community);
}

/**
 * Applies an edit to one list of values. An added link bandwidth replaces the one already there:
 * a path has one bandwidth (draft-ietf-idr-link-bandwidth section 2).
 */
function edited<T>(current: readonly T[], edit: CommunityEdit<T>, replaces: (added: T, present: T) => boolean): T[] {
  let values = edit.set !== undefined ? [...edit.set] : [...current];
  const removed = edit.remove;
  if (removed !== undefined) values = values.filter((value) => !removed.some((gone) => plainEqual(gone, value)));
  for (const added of edit.add ?? []) {
    values = values.filter((present) => !replaces(added, present));
    if (!values.some((present) => plainEqual(present, added))) values.push(added);
  }
  return values;
}

const never = (): boolean => false;

/** Writes the edited list back; an empty list leaves the attribute out (RFC 7606 section 7.8: empty is malformed). */
function written(attributes: readonly PathAttribute[], attribute: PathAttribute, count: number): PathAttribute[] {
  return count === 0 ? withoutAttributes(attributes, attribute.type) : withAttribute(attributes, attribute);
}

export function editCommunities(attributes: readonly PathAttribute[], edit: CommunityEdit<string>): PathAttribute[] {
  const values = edited(communitiesOf(attributes), edit, never);
  return written(attributes, { type: 'communities', values }, values.length);
}

export function editLargeCommunities(attributes: readonly PathAttribute[], edit: CommunityEdit<string>): PathAttribute[] {
  const values = edited(findAttribute(attributes, 'large-communities')?.values ?? [], edit, never);
  return written(attributes, { type: 'large-communities', values }, values.length);
}

export function editExtendedCommunities(
  attributes: readonly PathAttribute[],
  edit: CommunityEdit<ExtendedCommunity>,
): PathAttribute[] {
  const current = findAttribute(attributes, 'extended-communities')?.values ?? [];
  const bothBandwidths = (added: ExtendedCommunity, present: ExtendedCommunity): boolean =>
    added.type === 'link-bandwidth' && present.type === 'link-bandwidth';
  const values = edited(current, edit, bothBandwidths);
  return written(attributes, { type: 'extended-communities', values }, values.length);
}

/**
 * Whether an extended community may leave the AS: RFC 4360 section 2 marks the non-transitive
 * ones with bit 0x40 of the type octet.
 */
export function isTransitiveExtended(community: ExtendedCommunity): boolean {
  switch (community.type) {
    case 'link-bandwidth':
      return community.transitive;
    case 'raw':
      return (parseInt(community.value.slice(0, 2), 16) & 0x40) === 0;
    default:
      return true;
  }
}
