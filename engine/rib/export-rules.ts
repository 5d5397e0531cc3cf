/**
 * What a path becomes when it is sent to a peer: the rules every BGP speaker applies whatever its
 * policy (RFC 4271 section 5.1 and 9.1.3, RFC 1997, RFC 4456, RFC 9494, RFC 6793), with the export
 * policy's actions applied in between. The result depends on the path's attribute set, a few
 * values of its source and ranking, and the peer's profile, never on the prefix: the update group
 * computes it once per set (see `exportContextKey`).
 */
import type { AttributeSet, Family, PathAttribute } from '../wire/types.ts';
import { forTwoOctetPeer } from './as4.ts';
import { findAttribute, withAttribute, withoutAttributes } from './attributes.ts';
import {
  hasCommunity,
  isTransitiveExtended,
  NO_ADVERTISE,
  NO_EXPORT,
  NO_EXPORT_SUBCONFED,
} from './communities.ts';
import type { Path } from './path.ts';
import { applyAttributeActions, prependAs, type PolicyActions } from './policy.ts';
import { isIpv4Address, isIpv6Address } from './prefix.ts';
import { reflectedAttributes, reflectionDecision } from './reflection.ts';

/** The peer side of the export rules: who we are, who the peer is, and what the session can carry. */
export interface ExportProfile {
  localAs: number;
  routerId: string;
  clusterId: string;
  kind: 'ebgp' | 'ibgp';
  rrClient: boolean;
  /** The session carries 4-octet AS numbers (RFC 6793). */
  fourOctetAs: boolean;
  /** Families the peer announced long-lived graceful restart for (RFC 9494 section 4.3). */
  llgrFamilies: Family[];
  /** The peer accepts IPv6 next hops for ipv4-unicast (RFC 8950). */
  ipv4OverIpv6: boolean;
  /** Our addresses on the session, for next hop self. */
  nextHopSelf: { ipv4?: string; ipv6?: string };
}

/** Why a path is not sent to a peer. */
export type ExportRefusal =
  | 'no-advertise'
  | 'no-export'
  | 'no-export-subconfed'
  | 'not-reflected'
  | 'llgr-stale'
  | 'no-next-hop'
  | 'policy';

/**
 * The rules that keep a path from a peer, before any policy: RFC 1997's well-known communities,
 * iBGP to iBGP only by reflection (RFC 4456 section 6), and LLGR-stale paths only to peers that
 * announced LLGR for the family (RFC 9494 section 4.3).
 */
export function exportRefusal(path: Path, family: Family, profile: ExportProfile): ExportRefusal | undefined {
  const { attributes } = path;
  if (hasCommunity(attributes, NO_ADVERTISE)) return 'no-advertise';
  if (profile.kind === 'ebgp' && hasCommunity(attributes, NO_EXPORT)) return 'no-export';
  if (profile.kind === 'ebgp' && hasCommunity(attributes, NO_EXPORT_SUBCONFED)) return 'no-export-subconfed';
  if (reflectionDecision(path.source, profile) === 'suppress') return 'not-reflected';
  if (path.ranking.llgrStale && !profile.llgrFamilies.includes(family)) return 'llgr-stale';
  return undefined;
}

/**
 * What, besides its attribute set, the exported form of a path depends on: the family, the
 * source's kind and client flag, the originator a reflected route names, the LOCAL_PREF iBGP
 * peers receive, and the policy statement that accepted it. Equal keys, equal exported sets.
 */
export function exportContextKey(path: Path, family: Family, profile: ExportProfile, statement: number | undefined): string {
  const reflected = reflectionDecision(path.source, profile) === 'reflect';
  return [
    family,
    path.source.kind,
    reflected ? path.source.peerBgpId : '',
    profile.kind === 'ibgp' ? path.ranking.localPref : '',
    statement ?? '',
  ].join('|');
}

const OPTIONAL = 0x80;
const TRANSITIVE = 0x40;
const PARTIAL = 0x20;

/**
 * RFC 4271 section 5: an unrecognized optional non-transitive attribute is not passed on; an
 * unrecognized optional transitive one is, with the Partial bit set.
 */
function passUnrecognized(attributes: readonly PathAttribute[]): PathAttribute[] {
  const result: PathAttribute[] = [];
  for (const attribute of attributes) {
    if (attribute.type !== 'unknown') result.push(attribute);
    else if ((attribute.flags & (OPTIONAL | TRANSITIVE)) === (OPTIONAL | TRANSITIVE)) {
      result.push({ ...attribute, flags: attribute.flags | PARTIAL });
    }
  }
  return result;
}

/**
 * Toward an external peer (RFC 4271 section 5.1): no LOCAL_PREF (5.1.5), no MED learned from
 * another AS (5.1.4), no ORIGINATOR_ID or CLUSTER_LIST (optional non-transitive, RFC 4456 section
 * 8), no non-transitive extended community (RFC 4360 section 2), no confederation segment (RFC
 * 5065 section 5.3).
 */
function forExternalPeer(path: Path, attributes: readonly PathAttribute[]): PathAttribute[] {
  let result = withoutAttributes(attributes, 'local-pref', 'originator-id', 'cluster-list');
  if (path.source.kind !== 'local') result = withoutAttributes(result, 'med');
  const extended = findAttribute(result, 'extended-communities');
  if (extended !== undefined && !extended.values.every(isTransitiveExtended)) {
    const values = extended.values.filter(isTransitiveExtended);
    result =
      values.length > 0
        ? withAttribute(result, { type: 'extended-communities', values })
        : withoutAttributes(result, 'extended-communities');
  }
  const asPath = findAttribute(result, 'as-path');
  if (asPath !== undefined && asPath.segments.some((segment) => segment.type.startsWith('confed'))) {
    const segments = asPath.segments.filter((segment) => !segment.type.startsWith('confed'));
    result = withAttribute(result, { type: 'as-path', segments });
  }
  return result;
}

/** The IPv4-mapped IPv6 address of an IPv4 address (RFC 4291 section 2.5.5.2), for IPv6 routes over an IPv4-only speaker. */
function ipv4Mapped(address: string): string {
  return `::ffff:${address}`;
}

/**
 * The next hop sent (RFC 4271 section 5.1.3): toward eBGP our own address, except for a route we
 * originate with a next hop of its own; toward iBGP the path's, unchanged; the policy may say
 * either. A next hop the family cannot carry on this session leaves the path unsent.
 */
function exportedNextHops(
  path: Path,
  family: Family,
  profile: ExportProfile,
  choice: PolicyActions['nextHop'],
): string[] | undefined {
  const own = path.nextHops[0];
  const self =
    choice === 'self' ||
    own === undefined ||
    (choice !== 'unchanged' && profile.kind === 'ebgp' && path.source.kind !== 'local');
  const { ipv4, ipv6 } = profile.nextHopSelf;
  if (family === 'ipv4-unicast') {
    const candidate = self ? (ipv4 ?? (profile.ipv4OverIpv6 ? ipv6 : undefined)) : own;
    if (candidate === undefined) return undefined;
    if (isIpv4Address(candidate)) return [candidate];
    return profile.ipv4OverIpv6 && isIpv6Address(candidate) ? [candidate] : undefined;
  }
  const candidate = self ? (ipv6 ?? (ipv4 !== undefined ? ipv4Mapped(ipv4) : undefined)) : own;
  if (candidate === undefined) return undefined;
  if (isIpv6Address(candidate)) return [candidate];
  return isIpv4Address(candidate) ? [ipv4Mapped(candidate)] : undefined;
}

/**
 * The set a path is sent with: reflected attributes added, external or internal rules applied
 * around the policy's actions, the next hop chosen, and the AS numbers written for the session.
 * Undefined when no next hop can be sent.
 */
export function exportedSet(
  path: Path,
  family: Family,
  profile: ExportProfile,
  actions?: PolicyActions,
): AttributeSet | undefined {
  const nextHops = exportedNextHops(path, family, profile, actions?.nextHop);
  if (nextHops === undefined) return undefined;
  let attributes = passUnrecognized(path.attributes);
  if (reflectionDecision(path.source, profile) === 'reflect') {
    attributes = reflectedAttributes(attributes, path.source, profile.clusterId);
  }
  if (profile.kind === 'ebgp') attributes = forExternalPeer(path, attributes);
  if (actions !== undefined) attributes = applyAttributeActions(attributes, actions, profile.localAs);
  if (profile.kind === 'ebgp') {
    // RFC 4271 section 5.1.2: our AS leads the path sent to an external peer.
    const segments = findAttribute(attributes, 'as-path')?.segments ?? [];
    attributes = withAttribute(withoutAttributes(attributes, 'local-pref'), {
      type: 'as-path',
      segments: prependAs(segments, profile.localAs, 1),
    });
  } else {
    // RFC 4271 section 5.1.5: every UPDATE to an internal peer carries LOCAL_PREF.
    attributes = withAttribute(attributes, { type: 'local-pref', value: actions?.localPref ?? path.ranking.localPref });
  }
  attributes = profile.fourOctetAs
    ? withoutAttributes(attributes, 'as4-path', 'as4-aggregator')
    : forTwoOctetPeer(attributes);
  return { nextHops, attributes };
}
