/**
 * A path is one candidate route to a prefix: where it came from, its ADD-PATH identifier, its
 * attributes as received (after import policy), its next hops, and the values route selection
 * ranks it by. Those values are read from the wire attributes once, when the path is made, so that
 * ranking compares plain numbers and can run over batches in a worker or in Rust.
 */
import type { AsPathSegment, PathAttribute } from '../wire/types.ts';
import { addressKey, ipv4ToNumber } from './address.ts';
import { asPathKey, asPathLength, neighborAs } from './as-path.ts';
import { plainEqual } from './plain-equal.ts';

/** How the path was learned: from an external peer, an internal peer, or originated by this speaker. */
export type PeerKind = 'ebgp' | 'ibgp' | 'local';

/** The session a path came from. A locally originated path names this speaker itself. */
export interface PathSource {
  /** The peer's transport address; for a local path, this speaker's own address. */
  peerAddress: string;
  /** The peer's BGP Identifier from its OPEN; for a local path, this speaker's. */
  peerBgpId: string;
  peerAs: number;
  localAs: number;
  kind: PeerKind;
  /** The peer is a route-reflector client of this speaker (RFC 4456 section 2); read when reflecting, not ranked on. */
  rrClient: boolean;
}

/** Values route selection reads, normalised from the attributes (RFC 4271 section 9.1.2.2). */
export interface PathRanking {
  /** The next hop resolves and the validity hook accepts the path (RFC 4271 section 9.1.2). */
  valid: boolean;
  /** Kept through a peer's restart, not yet refreshed (RFC 4724 section 4.2). Not ranked on. */
  grStale: boolean;
  /** Marked LLGR_STALE, by this speaker or by the community 65535:6 (RFC 9494 section 4.3). */
  llgrStale: boolean;
  /** LOCAL_PREF, 100 when absent or learned over eBGP (RFC 4271 section 5.1.5). */
  localPref: number;
  /** RFC 4271 section 9.1.2.2 a: an AS_SET counts 1, confederation segments count 0. */
  asPathLength: number;
  /** The AS path as text (see `asPathKey`), to tell apart paths of equal length. */
  asPath: string;
  /** ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE; lower is preferred. */
  origin: number;
  /** MULTI_EXIT_DISC when present; its absence is ranked by option (`missingMedWorst`). */
  med?: number;
  /** neighborAS(n) of RFC 4271 section 9.1.2.2 c, which decides what MEDs compare with. */
  neighborAs: number;
  /** ORIGINATOR_ID when present (RFC 4456 section 8). */
  originatorId?: string;
  /** BGP Identifier for step f: ORIGINATOR_ID when present, else the peer's (RFC 4456 section 9). */
  routerId: number;
  /** Entries in CLUSTER_LIST, 0 when absent (RFC 4456 section 9). */
  clusterListLength: number;
  /** Interior cost to the next hop (RFC 4271 section 9.1.2.2 e). */
  igpCost: number;
  /** The peer address as an ordering key (see `addressKey`). */
  peerAddress: string;
  /** When the path was received, on the caller's clock; orders external paths by age (RFC 5004). */
  receivedAt: number;
}

export interface Path {
  source: PathSource;
  /** ADD-PATH path identifier (RFC 7911), 0 when the session carries none. */
  pathId: number;
  /** Where the path sends traffic: NEXT_HOP or the MP_REACH_NLRI next hops, global address first. */
  nextHops: string[];
  attributes: PathAttribute[];
  ranking: PathRanking;
}

/** What the caller knows about a path; `makePath` derives the rest. */
export interface PathInput {
  source: PathSource;
  pathId?: number;
  nextHops: string[];
  attributes: PathAttribute[];
  receivedAt?: number;
  /** Set while the path's peer is restarting: `gr` during graceful restart, `llgr` once long-lived. */
  stale?: 'gr' | 'llgr';
  /** LOCAL_PREF chosen by import policy; for eBGP paths it is the only source of one. */
  localPref?: number;
}

/** Questions the RIB asks about next hops and validity, answered by whoever owns the IGP view. */
export interface PathHooks {
  /** Cost to reach a next hop, or undefined when it does not resolve. Default: cost 0, always resolves. */
  igpCost?: (nextHop: string) => number | undefined;
  /** Further validity, for example origin validation; false keeps the path out of selection. */
  valid?: (source: PathSource, attributes: PathAttribute[]) => boolean;
}

/** LOCAL_PREF when none applies (RFC 4271 section 5.1.5 leaves it local; 100 is what routers use). */
export const DEFAULT_LOCAL_PREF = 100;

/** The well-known community LLGR_STALE (RFC 9494 section 4.1). */
export const LLGR_STALE = '65535:6';

const ORIGIN_RANK = { igp: 0, egp: 1, incomplete: 2 } as const;

/** Candidate paths of a prefix are keyed by the peer they came from and their path identifier. */
export function pathKey(peerAddress: string, pathId: number): string {
  return `${peerAddress} ${pathId}`;
}

export function keyOfPath(path: Path): string {
  return pathKey(path.source.peerAddress, path.pathId);
}

/** The path came from this peer with this path identifier. */
export function isPathOf(path: Path, peerAddress: string, pathId: number): boolean {
  return path.pathId === pathId && path.source.peerAddress === peerAddress;
}

/** Both came from one peer with one path identifier: one replaces the other. */
export function sameSourceAndId(a: Path, b: Path): boolean {
  return isPathOf(a, b.source.peerAddress, b.pathId);
}

/** Builds a path, reading its ranking values from the attributes and asking the hooks about its next hop. */
export function makePath(input: PathInput, hooks: PathHooks = {}): Path {
  const { source, attributes } = input;
  let localPref = input.localPref;
  let asPath: AsPathSegment[] = [];
  let origin: number = ORIGIN_RANK.incomplete;
  let med: number | undefined;
  let originatorId: string | undefined;
  let clusterListLength = 0;
  let llgrStaleCommunity = false;
  for (const attribute of attributes) {
    switch (attribute.type) {
      case 'local-pref':
        // RFC 4271 section 5.1.5: a LOCAL_PREF received from an external peer is ignored.
        if (source.kind !== 'ebgp') localPref ??= attribute.value;
        break;
      case 'as-path':
        asPath = attribute.segments;
        break;
      case 'origin':
        origin = ORIGIN_RANK[attribute.value];
        break;
      case 'med':
        med = attribute.value;
        break;
      case 'originator-id':
        originatorId = attribute.value;
        break;
      case 'cluster-list':
        clusterListLength = attribute.values.length;
        break;
      case 'communities':
        llgrStaleCommunity = attribute.values.includes(LLGR_STALE);
        break;
    }
  }
  const resolution = resolveNextHop(source, input.nextHops, attributes, hooks);
  const ranking: PathRanking = {
    valid: resolution.valid,
    grStale: input.stale !== undefined,
    llgrStale: input.stale === 'llgr' || llgrStaleCommunity,
    localPref: localPref ?? DEFAULT_LOCAL_PREF,
    asPathLength: asPathLength(asPath),
    asPath: asPathKey(asPath),
    origin,
    ...(med !== undefined && { med }),
    neighborAs: neighborAs(asPath, source.localAs),
    ...(originatorId !== undefined && { originatorId }),
    routerId: ipv4ToNumber(originatorId ?? source.peerBgpId),
    clusterListLength,
    igpCost: resolution.igpCost,
    peerAddress: addressKey(source.peerAddress),
    receivedAt: input.receivedAt ?? 0,
  };
  return { source, pathId: input.pathId ?? 0, nextHops: input.nextHops, attributes, ranking };
}

/**
 * The same path after the IGP view changed: resolution and cost asked again. Returns the path
 * itself when nothing changed, so that a destination sees no change either.
 */
export function refreshNextHop(path: Path, hooks: PathHooks): Path {
  const { valid, igpCost } = resolveNextHop(path.source, path.nextHops, path.attributes, hooks);
  if (valid === path.ranking.valid && igpCost === path.ranking.igpCost) return path;
  return { ...path, ranking: { ...path.ranking, valid, igpCost } };
}

/** Same source, identifier, next hops, attributes and ranking: replacing one with the other changes nothing. */
export function samePath(a: Path, b: Path): boolean {
  return (
    a.pathId === b.pathId &&
    plainEqual(a.source, b.source) &&
    plainEqual(a.nextHops, b.nextHops) &&
    plainEqual(a.ranking, b.ranking) &&
    plainEqual(a.attributes, b.attributes)
  );
}

/**
 * RFC 4271 section 9.1.2: a route whose NEXT_HOP does not resolve is excluded from selection. A
 * locally originated path is reachable at no cost; the first next hop is the one that is resolved
 * (the global address, when a link-local one follows it, RFC 2545 section 3).
 */
function resolveNextHop(
  source: PathSource,
  nextHops: string[],
  attributes: PathAttribute[],
  hooks: PathHooks,
): { valid: boolean; igpCost: number } {
  let igpCost: number | undefined = 0;
  if (source.kind !== 'local' && hooks.igpCost) {
    igpCost = nextHops.length > 0 ? hooks.igpCost(nextHops[0]) : undefined;
  }
  if (igpCost === undefined) return { valid: false, igpCost: 0 };
  return { valid: hooks.valid ? hooks.valid(source, attributes) : true, igpCost };
}
