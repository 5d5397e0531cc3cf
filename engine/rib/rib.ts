/**
 * The RIB of one speaker: the Adj-RIB-In of every peer and of the routes it originates, the
 * Loc-RIB, and the update groups that hold the Adj-RIB-Out and write to the peers. This is what
 * the speaker calls; no socket or timer lives here. Sessions come in with what they negotiated
 * and a member to write to; received UPDATEs come in decoded; every call that changes the
 * Loc-RIB answers with the destinations whose best path or multipath set changed.
 */
import { selectCodec, tsCodec, type WireCodec } from '../wire/index.ts';
import type { AttributeSet, Family, PathAttribute, RouteDecodeResult, UpdateMessage, WireError } from '../wire/types.ts';
import type { NegotiatedSession } from '../session/types.ts';
import {
  clearAdjRibIn,
  createAdjRibIn,
  disableFamily,
  markStale,
  originateRoute,
  receiveRoutes,
  receiveUpdate,
  reconfigureAdjRibIn,
  sweepStale,
  withdrawOriginated,
  type AdjRibIn,
  type AdjRibInConfig,
  type AdjRibInContext,
  type AdjRibInRoute,
  type ReceiveOutcome,
} from './adj-rib-in.ts';
import { createInterner, internedCount } from './attribute-interning.ts';
import { findAttribute, withoutAttributes } from './attributes.ts';
import type { RankOptions } from './best-path/types.ts';
import type { Destination, DestinationChange } from './destination.ts';
import {
  applyPathChanges,
  createLocRib,
  destinationKey,
  findDestination,
  setRankOptions,
  type LocRib,
  type PathChange,
} from './loc-rib.ts';
import { keyOfPath, type PathHooks, type PathSource } from './path.ts';
import { PathIdAllocator } from './path-ids.ts';
import { policyProblem, type Policy } from './policy.ts';
import { formatPrefix, isIpv4Address, isIpv6Address, parsePrefix } from './prefix.ts';
import type { RouteEncoder } from './route-encoder.ts';
import { groupKey, UpdateGroup, type GroupProfile, type UpdateGroupMember } from './update-group.ts';

export interface RibOptions {
  localAs: number;
  /** Our BGP Identifier. */
  routerId: string;
  /** CLUSTER_ID when reflecting (RFC 4456 section 7); the router id by default. */
  clusterId?: string;
  rank?: RankOptions;
  hooks?: PathHooks;
  /** Default: `selectCodec()`'s. */
  codec?: WireCodec;
  /** Where update groups encode large batches off the main thread (an EnginePool); default: all here. */
  encoder?: RouteEncoder;
  /** The clock paths are stamped with; default `Date.now`. */
  now?: () => number;
  /**
   * When the update groups send what commits changed: at the call back, once for every commit
   * since. The speaker passes `setImmediate`, so that the UPDATEs of all its peers read in one turn
   * of the event loop go out as one encoding and one write per peer. Default: at every commit.
   */
  scheduleSend?: (send: () => void) => void;
}

/** A peer whose session is Established, as the RIB needs it. */
export interface PeerSpec {
  /** The peer's transport address: it names the peer's paths and its place in an update group. */
  address: string;
  session: NegotiatedSession;
  member: UpdateGroupMember;
  /** Our addresses on the session, sent as next hop self (RFC 4271 section 5.1.3). */
  nextHopSelf: { ipv4?: string; ipv6?: string };
  /** The peer is a route-reflector client (RFC 4456). */
  rrClient?: boolean;
  importPolicy?: Policy;
  exportPolicy?: Policy;
  /** Most paths accepted from the peer. */
  maxPrefixes?: number;
  /** With ADD-PATH send: every multipath member (default), or at most this many paths per prefix. */
  addPathPaths?: 'multipath' | number;
  /** Check that an external peer's paths start with its AS (RFC 4271 section 6.3); default true. */
  enforceFirstAs?: boolean;
}

/** A route this speaker originates. */
export interface LocalRoute {
  prefix: string;
  /** Where traffic goes; absent: our own address on each session. */
  nextHop?: string;
  /** ORIGIN defaults to IGP and AS_PATH to empty; NEXT_HOP and the MP attributes are not taken. */
  attributes?: PathAttribute[];
  /** Tells apart several paths we originate for one prefix. */
  pathId?: number;
}

/** A received UPDATE's effect, with the Loc-RIB's changes in place of the Adj-RIB-In's. */
export interface RibReceiveOutcome extends Omit<ReceiveOutcome, 'changes'> {
  changes: DestinationChange[];
}

/** A route as a peer was sent it. */
export interface AdvertisedRoute {
  family: Family;
  prefix: string;
  pathId: number;
  nextHops: string[];
  attributes: PathAttribute[];
}

/** How a session ended for the RIB: its paths go, or stay stale for the families graceful restart keeps. */
export interface PeerDownOptions {
  stale?: { mode: 'gr' | 'llgr'; families: Family[] };
}

interface PeerState {
  adj: AdjRibIn;
  /** Absent while the peer has no session (its paths kept stale). */
  spec?: PeerSpec;
  group?: UpdateGroup;
}

export class Rib {
  readonly locRib: LocRib;
  private readonly inbound = createInterner();
  private readonly pathIds = new PathIdAllocator();
  private readonly peers = new Map<string, PeerState>();
  private readonly groups = new Map<string, UpdateGroup>();
  private readonly adjContext: AdjRibInContext;
  private readonly local: AdjRibIn;
  private readonly codec: WireCodec;
  /** Destinations committed but not yet sent, by key: the newest object of a destination dropped and made again. */
  private readonly unsent = new Map<string, Destination>();
  private sendScheduled = false;

  constructor(private readonly options: RibOptions) {
    this.locRib = createLocRib(options.rank ?? {});
    this.codec = options.codec ?? selectCodec().codec;
    this.adjContext = {
      interner: this.inbound,
      identity: { localAs: options.localAs, routerId: options.routerId, clusterId: this.clusterId },
      hooks: options.hooks ?? {},
      now: options.now ?? Date.now,
    };
    const source: PathSource = {
      peerAddress: options.routerId,
      peerBgpId: options.routerId,
      peerAs: options.localAs,
      localAs: options.localAs,
      kind: 'local',
      rrClient: false,
    };
    this.local = createAdjRibIn({ source, families: ['ipv4-unicast', 'ipv6-unicast'], fourOctetAs: true }, this.adjContext);
  }

  private get clusterId(): string {
    return this.options.clusterId ?? this.options.routerId;
  }

  /**
   * A session came up: the peer joins its update group (made when it is the first of its kind)
   * and is sent the group's table and End-of-RIB. Paths the peer left stale stay until it sends
   * them again or its End-of-RIB comes.
   */
  addPeer(spec: PeerSpec): void {
    this.sendPending();
    const known = this.peers.get(spec.address);
    if (known?.spec !== undefined) throw new Error(`peer ${spec.address} already has a session`);
    for (const policy of [spec.importPolicy, spec.exportPolicy]) {
      const problem = policy !== undefined ? policyProblem(policy) : undefined;
      if (problem !== undefined) throw new RangeError(problem);
    }
    const config = this.adjConfig(spec);
    let adj = known?.adj;
    if (adj === undefined) adj = createAdjRibIn(config, this.adjContext);
    else reconfigureAdjRibIn(adj, config);
    const group = this.groupFor(spec);
    this.peers.set(spec.address, { adj, spec, group });
    group.join(spec.address, spec.member);
    group.dump(spec.address);
  }

  /**
   * A peer's policies or options changed during its session. Its export side moves it to the
   * group it now belongs to and sends it only the difference; the import side applies to what it
   * sends from now on (ask it for a route refresh to apply it to the rest).
   */
  updatePeer(spec: PeerSpec): void {
    this.sendPending();
    const state = this.peers.get(spec.address);
    if (state?.spec === undefined || state.group === undefined) throw new Error(`peer ${spec.address} has no session`);
    // Same session: the families it disabled stay disabled.
    state.adj.config = this.adjConfig(spec);
    const previous = state.group;
    const next = this.groupFor(spec);
    state.spec = spec;
    if (next === previous) {
      previous.join(spec.address, spec.member);
      return;
    }
    const view = previous.viewOf(spec.address);
    this.leaveGroup(spec.address, previous);
    state.group = next;
    next.joinFrom(spec.address, spec.member, view);
  }

  /**
   * A session ended: the peer leaves its group, and its paths go, or stay stale for the families
   * graceful restart keeps (RFC 4724 section 4.2; RFC 9494 for long-lived).
   */
  removePeer(address: string, options: PeerDownOptions = {}): DestinationChange[] {
    this.sendPending();
    const state = this.peers.get(address);
    if (state === undefined) return [];
    if (state.group !== undefined) this.leaveGroup(address, state.group);
    state.spec = undefined;
    state.group = undefined;
    if (options.stale !== undefined) {
      const changes = markStale(state.adj, options.stale.mode, options.stale.families);
      if (state.adj.routes.size === 0) this.peers.delete(address);
      return this.commit(changes);
    }
    this.peers.delete(address);
    return this.commit(clearAdjRibIn(state.adj));
  }

  /** Applies a decoded UPDATE from a peer; an End-of-RIB sweeps the family's stale paths (RFC 4724 section 4.2). */
  receiveUpdate(address: string, update: UpdateMessage, error?: WireError): RibReceiveOutcome {
    return this.receive(address, (adj) => receiveUpdate(adj, update, error));
  }

  /** Applies a bulk-decoded burst of UPDATEs from a peer. */
  receiveRoutes(address: string, decoded: RouteDecodeResult): RibReceiveOutcome {
    return this.receive(address, (adj) => receiveRoutes(adj, decoded));
  }

  private receive(address: string, apply: (adj: AdjRibIn) => ReceiveOutcome): RibReceiveOutcome {
    const state = this.peers.get(address);
    if (state?.spec === undefined) throw new Error(`peer ${address} has no session`);
    const outcome = apply(state.adj);
    const changes = outcome.changes;
    for (const family of outcome.endOfRib) for (const change of sweepStale(state.adj, family)) changes.push(change);
    return { ...outcome, changes: this.commit(changes) };
  }

  /**
   * RFC 7606 AFI/SAFI disable, for the session's `disable-family` action: the peer's paths of the
   * family go and its routes of the family are ignored until the session ends. Idempotent: an
   * UPDATE received with the error has done it already.
   */
  disableFamily(address: string, family: Family): DestinationChange[] {
    const state = this.peers.get(address);
    if (state?.spec === undefined || state.adj.disabledFamilies.has(family)) return [];
    return this.commit(disableFamily(state.adj, family));
  }

  /** Marks a departed peer's paths long-lived stale (RFC 9494), when its restart time ran out. */
  markLongLivedStale(address: string, families: Family[]): DestinationChange[] {
    const state = this.peers.get(address);
    if (state === undefined) return [];
    return this.commit(markStale(state.adj, 'llgr', families));
  }

  /** Removes a peer's stale paths (of one family, or all): its stale timer ran out. */
  sweepStale(address: string, family?: Family): DestinationChange[] {
    const state = this.peers.get(address);
    if (state === undefined) return [];
    const changes = this.commit(sweepStale(state.adj, family));
    if (state.spec === undefined && state.adj.routes.size === 0) this.peers.delete(address);
    return changes;
  }

  /**
   * Originates routes (or replaces them, by prefix and path id). Throws RangeError, changing
   * nothing, when a route's prefix is neither IPv4 nor IPv6, its next hop is not an address, or an
   * attribute has no encoding.
   */
  originate(routes: LocalRoute[]): DestinationChange[] {
    const checked = routes.map((route) => localRouteInput(route));
    const changes: PathChange[] = [];
    for (const { family, prefix, pathId, set } of checked) {
      for (const change of originateRoute(this.local, family, prefix, pathId, set)) changes.push(change);
    }
    return this.commit(changes);
  }

  /** Withdraws routes this speaker originated. */
  withdraw(routes: { prefix: string; pathId?: number }[]): DestinationChange[] {
    const changes: PathChange[] = [];
    for (const route of routes) {
      const parsed = parsePrefix(route.prefix);
      if (parsed === undefined) continue;
      changes.push(...withdrawOriginated(this.local, parsed.family, formatPrefix(parsed), route.pathId ?? 0));
    }
    return this.commit(changes);
  }

  /**
   * Sends a peer its table again, as a route refresh asks (RFC 2918), with End-of-RIB unless
   * `endOfRib` is false (with enhanced route refresh the session brackets it with BoRR and EoRR
   * instead, RFC 7313).
   */
  refresh(address: string, families?: Family[], options: { endOfRib?: boolean } = {}): void {
    this.sendPending();
    const state = this.peers.get(address);
    if (state?.group === undefined) return;
    state.group.dump(address, families, options.endOfRib !== false);
  }

  /**
   * Ranks every destination again under new options and sends what changed. Every destination is
   * looked at again, as a group sending the best N paths may see a change below the multipath set.
   */
  setRankOptions(options: RankOptions): DestinationChange[] {
    this.sendPending();
    const changes = setRankOptions(this.locRib, options);
    const all = [...this.locRib.destinations.values()];
    for (const group of this.groups.values()) group.update(all);
    return changes;
  }

  /** The routes a peer sent, after import policy. */
  adjRibIn(address: string): AdjRibInRoute[] {
    return [...(this.peers.get(address)?.adj.routes.values() ?? [])];
  }

  /** The routes this speaker originates. */
  originated(): AdjRibInRoute[] {
    return [...this.local.routes.values()];
  }

  /** Every destination with its ranking: best, multipath set, and why each other path lost. */
  destinations(): Destination[] {
    return [...this.locRib.destinations.values()];
  }

  destination(family: Family, prefix: string): Destination | undefined {
    return findDestination(this.locRib, family, prefix);
  }

  /** What a peer has been sent. */
  adjRibOut(address: string): AdvertisedRoute[] {
    this.sendPending();
    const group = this.peers.get(address)?.group;
    if (group === undefined) return [];
    return group.viewOf(address).map((route) => ({
      family: route.family,
      prefix: route.prefix,
      pathId: route.pathId,
      nextHops: [...route.entry.set.nextHops],
      attributes: [...route.entry.set.attributes],
    }));
  }

  /** The update groups and their members. */
  updateGroups(): { key: string; members: string[]; routes: number }[] {
    this.sendPending();
    return [...this.groups.values()].map((group) => ({
      key: group.key,
      members: group.memberIds(),
      routes: group.adjRibOut.size,
    }));
  }

  /** Attribute sets interned for the Loc-RIB's paths. */
  internedSets(): number {
    return internedCount(this.inbound);
  }

  /** Applies path changes to the Loc-RIB and lets every group send what changed. */
  private commit(changes: PathChange[]): DestinationChange[] {
    if (changes.length === 0) return [];
    const batch = applyPathChanges(this.locRib, changes);
    for (const destination of batch.touched) {
      const key = destinationKey(destination.family, destination.prefix);
      this.pathIds.retainOnly(key, (pathKey) => destination.paths.some((path) => keyOfPath(path) === pathKey));
      this.unsent.set(key, destination);
    }
    const { scheduleSend } = this.options;
    if (scheduleSend === undefined) this.sendPending();
    else if (!this.sendScheduled && this.unsent.size > 0) {
      this.sendScheduled = true;
      scheduleSend(() => this.sendPending());
    }
    return batch.changes;
  }

  /**
   * Lets every group send what the commits not sent yet changed. Called back as scheduled, and
   * before anything else reads or changes the groups, so that they always act on every commit.
   */
  private sendPending(): void {
    this.sendScheduled = false;
    if (this.unsent.size === 0) return;
    const touched = [...this.unsent.values()];
    this.unsent.clear();
    for (const group of this.groups.values()) group.update(touched);
  }

  private adjConfig(spec: PeerSpec): AdjRibInConfig {
    const { session } = spec;
    const source: PathSource = {
      peerAddress: spec.address,
      peerBgpId: session.peerId,
      peerAs: session.peerAs,
      localAs: this.options.localAs,
      kind: session.internal ? 'ibgp' : 'ebgp',
      rrClient: spec.rrClient === true,
    };
    const config: AdjRibInConfig = { source, families: session.families, fourOctetAs: session.fourOctetAs };
    if (spec.importPolicy !== undefined) config.importPolicy = spec.importPolicy;
    if (spec.maxPrefixes !== undefined) config.maxPrefixes = spec.maxPrefixes;
    if (spec.enforceFirstAs !== undefined) config.enforceFirstAs = spec.enforceFirstAs;
    return config;
  }

  private profileOf(spec: PeerSpec): GroupProfile {
    const { session } = spec;
    const profile: GroupProfile = {
      localAs: this.options.localAs,
      routerId: this.options.routerId,
      clusterId: this.clusterId,
      kind: session.internal ? 'ibgp' : 'ebgp',
      rrClient: spec.rrClient === true,
      fourOctetAs: session.fourOctetAs,
      llgrFamilies: (session.peerLongLivedGracefulRestart?.families ?? []).map(({ family }) => family),
      ipv4OverIpv6: session.extendedNextHop.send.some(
        ({ family, nextHopAfi }) => family === 'ipv4-unicast' && nextHopAfi === 2,
      ),
      nextHopSelf: spec.nextHopSelf,
      families: session.families,
      addPath: session.addPath.send,
      extendedMessage: session.extendedMessage,
      addPathPaths: spec.addPathPaths ?? 'multipath',
    };
    if (spec.exportPolicy !== undefined) profile.exportPolicy = spec.exportPolicy;
    return profile;
  }

  private groupFor(spec: PeerSpec): UpdateGroup {
    const profile = this.profileOf(spec);
    const key = groupKey(profile);
    let group = this.groups.get(key);
    if (group === undefined) {
      const environment = {
        codec: this.codec, locRib: this.locRib, inbound: this.inbound, pathIds: this.pathIds, encoder: this.options.encoder,
      };
      group = new UpdateGroup(profile, environment);
      this.groups.set(key, group);
    }
    return group;
  }

  private leaveGroup(address: string, group: UpdateGroup): void {
    group.leave(address);
    if (group.memberCount === 0) {
      group.dispose();
      this.groups.delete(group.key);
    }
  }
}

/** A local route as the Adj-RIB-In takes it: defaults filled in, and checked. */
function localRouteInput(route: LocalRoute): { family: Family; prefix: string; pathId: number; set: AttributeSet } {
  const parsed = parsePrefix(route.prefix);
  if (parsed === undefined) throw new RangeError(`not a prefix: ${route.prefix}`);
  if (route.nextHop !== undefined && !isIpv4Address(route.nextHop) && !isIpv6Address(route.nextHop)) {
    throw new RangeError(`next hop ${route.nextHop} of ${route.prefix} is not an address`);
  }
  let attributes = withoutAttributes(route.attributes ?? [], 'next-hop', 'mp-reach', 'mp-unreach');
  if (findAttribute(attributes, 'origin') === undefined) attributes = [{ type: 'origin', value: 'igp' }, ...attributes];
  if (findAttribute(attributes, 'as-path') === undefined) attributes = [...attributes, { type: 'as-path', segments: [] }];
  try {
    tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes, nlri: [] });
  } catch (error) {
    throw new RangeError(`attributes of ${route.prefix}: ${(error as Error).message}`);
  }
  const nextHops = route.nextHop !== undefined ? [route.nextHop] : [];
  return { family: parsed.family, prefix: formatPrefix(parsed), pathId: route.pathId ?? 0, set: { nextHops, attributes } };
}
