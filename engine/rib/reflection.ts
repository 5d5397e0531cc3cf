/**
 * Route reflection (RFC 4456): which iBGP-learned routes go to which iBGP peers, the attributes a
 * reflector adds, and the loop checks on receipt. Without reflection, routes learned from an
 * internal peer are never passed to another internal peer (RFC 4271 section 9.2, the full mesh
 * carries them); a reflector relaxes that by the client / non-client matrix of section 6.
 */
import type { PathAttribute } from '../wire/types.ts';
import { findAttribute, withAttribute } from './attributes.ts';
import type { PathSource, PeerKind } from './path.ts';

/** The peer a route would be sent to, as reflection sees it. */
export interface ReflectionTarget {
  kind: Exclude<PeerKind, 'local'>;
  rrClient: boolean;
}

/**
 * `advertise`: sent as any route is; `reflect`: sent as a reflected route (with ORIGINATOR_ID and
 * CLUSTER_LIST); `suppress`: not sent.
 */
export type ReflectionDecision = 'advertise' | 'reflect' | 'suppress';

/**
 * RFC 4456 section 6: a route from a client is reflected to every other iBGP peer, clients and
 * non-clients; a route from a non-client only to clients. Routes learned over eBGP or originated
 * here go to every peer, and every route may go to an eBGP peer.
 */
export function reflectionDecision(source: PathSource, target: ReflectionTarget): ReflectionDecision {
  if (target.kind === 'ebgp' || source.kind !== 'ibgp') return 'advertise';
  if (source.rrClient || target.rrClient) return 'reflect';
  return 'suppress';
}

/**
 * RFC 4456 section 8: the reflector sets ORIGINATOR_ID to the BGP Identifier of the route's
 * originator in the AS (the internal peer it was learned from) unless one is there, and prepends
 * its CLUSTER_ID to CLUSTER_LIST, creating it when absent.
 */
export function reflectedAttributes(
  attributes: readonly PathAttribute[],
  source: PathSource,
  clusterId: string,
): PathAttribute[] {
  let result = [...attributes];
  if (findAttribute(result, 'originator-id') === undefined) {
    result = withAttribute(result, { type: 'originator-id', value: source.peerBgpId });
  }
  const clusterList = findAttribute(result, 'cluster-list')?.values ?? [];
  return withAttribute(result, { type: 'cluster-list', values: [clusterId, ...clusterList] });
}

/** Why a received route loops back to this speaker, or undefined. */
export type ReflectionLoop = 'originator-id' | 'cluster-list';

/**
 * RFC 4456 section 8: a route whose ORIGINATOR_ID is our BGP Identifier, or whose CLUSTER_LIST holds
 * our CLUSTER_ID, came back to us and is ignored.
 */
export function reflectionLoop(
  attributes: readonly PathAttribute[],
  self: { routerId: string; clusterId: string },
): ReflectionLoop | undefined {
  if (findAttribute(attributes, 'originator-id')?.value === self.routerId) return 'originator-id';
  if (findAttribute(attributes, 'cluster-list')?.values.includes(self.clusterId)) return 'cluster-list';
  return undefined;
}
