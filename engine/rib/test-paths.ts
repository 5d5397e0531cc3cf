/**
 * Paths for tests, built through `makePath` from wire attributes so that the tests exercise the
 * normalisation too. Every field has a default; a test names only what it varies.
 */
import type { AsPathSegment, PathAttribute } from '../wire/types.ts';
import { makePath, type Path, type PathHooks, type PeerKind } from './path.ts';

export interface TestPathSpec {
  peer?: string;
  bgpId?: string;
  peerAs?: number;
  localAs?: number;
  kind?: PeerKind;
  rrClient?: boolean;
  pathId?: number;
  /** AS_SEQUENCE of these ASNs; for eBGP the peer AS alone by default, for iBGP and local empty. */
  asns?: number[];
  asPath?: AsPathSegment[];
  origin?: 'igp' | 'egp' | 'incomplete';
  med?: number;
  localPref?: number;
  communities?: string[];
  originatorId?: string;
  clusterList?: string[];
  nextHop?: string;
  receivedAt?: number;
  stale?: 'gr' | 'llgr';
  /** IGP cost to the next hop; `unreachable` when it does not resolve. */
  igpCost?: number | 'unreachable';
}

export const LOCAL_AS = 65000;

export function testPath(spec: TestPathSpec = {}): Path {
  const kind = spec.kind ?? 'ebgp';
  const localAs = spec.localAs ?? LOCAL_AS;
  const peerAs = spec.peerAs ?? (kind === 'ebgp' ? 65001 : localAs);
  const asns = spec.asns ?? (kind === 'ebgp' ? [peerAs] : []);
  const peer = spec.peer ?? '192.0.2.1';
  const nextHop = spec.nextHop ?? peer;
  const attributes: PathAttribute[] = [
    { type: 'origin', value: spec.origin ?? 'igp' },
    { type: 'as-path', segments: spec.asPath ?? (asns.length > 0 ? [{ type: 'sequence', asns }] : []) },
    { type: 'next-hop', value: nextHop },
  ];
  if (spec.med !== undefined) attributes.push({ type: 'med', value: spec.med });
  if (spec.localPref !== undefined) attributes.push({ type: 'local-pref', value: spec.localPref });
  if (spec.communities) attributes.push({ type: 'communities', values: spec.communities });
  if (spec.originatorId) attributes.push({ type: 'originator-id', value: spec.originatorId });
  if (spec.clusterList) attributes.push({ type: 'cluster-list', values: spec.clusterList });
  const hooks: PathHooks = {
    igpCost: () => (spec.igpCost === 'unreachable' ? undefined : (spec.igpCost ?? 0)),
  };
  return makePath(
    {
      source: {
        peerAddress: peer,
        peerBgpId: spec.bgpId ?? peer,
        peerAs,
        localAs,
        kind,
        rrClient: spec.rrClient ?? false,
      },
      pathId: spec.pathId,
      nextHops: [nextHop],
      attributes,
      receivedAt: spec.receivedAt,
      stale: spec.stale,
    },
    hooks,
  );
}
