/**
 * The Adj-RIB-In of one peer (RFC 4271 section 3.2): the paths it sent, by family, prefix and
 * ADD-PATH identifier, as they stand after the checks every route passes (AS loop, first AS,
 * reflection loops, RFC 6793 AS4 merge) and the import policy. Fed by decoded UPDATEs, one at a
 * time or as bulk-decoded columns; answers with the path changes the Loc-RIB is to apply.
 *
 * Graceful restart (RFC 4724) and long-lived graceful restart (RFC 9494) keep a departed peer's
 * paths as stale: `markStale` when the session goes, `sweepStale` on End-of-RIB or when the
 * caller's timer runs out.
 */
import {
  COLUMN_FAMILY,
  WITHDRAW,
  type AttributeSet,
  type Family,
  type RouteDecodeResult,
  type UpdateMessage,
  type WireError,
} from '../wire/types.ts';
import { receivedAsPathAttributes } from './as4.ts';
import { acquire, acquireEntry, release, type AttributeInterner, type InternedSet } from './attribute-interning.ts';
import { findAttribute, withoutAttributes } from './attributes.ts';
import { editCommunities, hasCommunity, LLGR_STALE, NO_LLGR } from './communities.ts';
import { routeKey, type PathChange } from './loc-rib.ts';
import { makePath, type Path, type PathHooks, type PathSource } from './path.ts';
import { applyAttributeActions, evaluatePolicy, type Policy, type PolicyActions } from './policy.ts';
import { canonicalPrefix, prefixFromOctets, type UnicastFamilyName } from './prefix.ts';
import { reflectionLoop } from './reflection.ts';

/** One peer's inbound settings. */
export interface AdjRibInConfig {
  source: PathSource;
  /** Families negotiated on the session; routes of others are ignored. */
  families: Family[];
  /** The session carries 4-octet AS numbers: AS4_PATH is discarded, else merged (RFC 6793). */
  fourOctetAs: boolean;
  importPolicy?: Policy;
  /** Most paths kept; past it, new paths are refused and the outcome says so. */
  maxPrefixes?: number;
  /** RFC 4271 section 6.3: the leftmost AS of a path from an external peer must be the peer's. Default true. */
  enforceFirstAs?: boolean;
}

/** What the checks compare received routes with: this speaker. */
export interface LocalIdentity {
  localAs: number;
  routerId: string;
  clusterId: string;
}

/** What every Adj-RIB-In of one speaker shares. */
export interface AdjRibInContext {
  interner: AttributeInterner;
  identity: LocalIdentity;
  hooks: PathHooks;
  /** The caller's clock, for the age of external paths (RFC 5004). */
  now: () => number;
}

export interface AdjRibInRoute {
  family: Family;
  prefix: string;
  pathId: number;
  path: Path;
  /** The interned set the path's next hops and attributes are. */
  entry: InternedSet;
  /** LOCAL_PREF chosen by the import policy. */
  localPref?: number;
  /** Kept through the peer's restart (RFC 4724) or long-lived (RFC 9494). */
  stale?: 'gr' | 'llgr';
}

export interface AdjRibIn {
  config: AdjRibInConfig;
  context: AdjRibInContext;
  /** Routes by `routeKey(family, prefix, path id)`. */
  routes: Map<string, AdjRibInRoute>;
  /** Families switched off by RFC 7606 AFI/SAFI disable until the session ends. */
  disabledFamilies: Set<Family>;
}

/** Why a received route was not kept. */
export type DiscardReason = 'as-loop' | 'first-as' | 'originator-id' | 'cluster-list' | 'policy';

export interface ReceiveOutcome {
  /** For the Loc-RIB, in the order they happened. */
  changes: PathChange[];
  /** Families whose End-of-RIB marker came (RFC 4724 section 2). */
  endOfRib: Family[];
  /** Families disabled by this input (RFC 7606 section 2, AFI/SAFI disable). */
  disabledFamilies: Family[];
  /** Routes refused, by reason (they withdraw what the peer sent before under the same key). */
  discarded: Partial<Record<DiscardReason, number>>;
  /** Set when the peer sent more paths than allowed: the session is to end with Cease, subcode 1 (RFC 4486). */
  maxPrefixExceeded?: { count: number; limit: number };
}

export function createAdjRibIn(config: AdjRibInConfig, context: AdjRibInContext): AdjRibIn {
  return { config, context, routes: new Map(), disabledFamilies: new Set() };
}

function emptyOutcome(): ReceiveOutcome {
  return { changes: [], endOfRib: [], disabledFamilies: [], discarded: {} };
}

/** A received set after the checks that do not depend on the prefix, or why it is refused. */
type Prepared = AttributeSet | { discard: DiscardReason };

function prepare(adj: AdjRibIn, set: AttributeSet): Prepared {
  const { source } = adj.config;
  const { identity } = adj.context;
  let attributes = receivedAsPathAttributes(set.attributes, adj.config.fourOctetAs);
  const segments = findAttribute(attributes, 'as-path')?.segments ?? [];
  if (source.kind === 'ebgp') {
    // RFC 4271 section 5.1.5: a LOCAL_PREF from an external peer is ignored.
    attributes = withoutAttributes(attributes, 'local-pref');
    const first = segments[0];
    const leftmost = first?.type === 'sequence' ? first.asns[0] : undefined;
    if (adj.config.enforceFirstAs !== false && leftmost !== source.peerAs) return { discard: 'first-as' };
  }
  // RFC 4271 section 9.1.2: a path holding our own AS has looped.
  if (segments.some((segment) => segment.asns.includes(identity.localAs))) return { discard: 'as-loop' };
  const loop = reflectionLoop(attributes, identity);
  if (loop !== undefined) return { discard: loop };
  return { attributes, nextHops: set.nextHops };
}

/** Applies one batch of received routes; `receive` is the walk over them. */
class Receiver {
  readonly outcome = emptyOutcome();
  private refused = 0;
  /** The routes of one batch arrived together, so they share one age (and so their paths can be shared). */
  private readonly receivedAt: number;

  constructor(private readonly adj: AdjRibIn) {
    this.receivedAt = adj.context.now();
  }

  usable(family: Family): boolean {
    return this.adj.config.families.includes(family) && !this.adj.disabledFamilies.has(family);
  }

  /** Withdraws a prefix, given in the RIB's canonical form (see prefix.ts). */
  withdraw(family: Family, prefix: string, pathId: number): void {
    if (this.usable(family)) removeRoute(this.adj, family, prefix, pathId, this.outcome.changes);
  }

  /**
   * Announces a prefix, given in canonical form, with a prepared set; `byStatement` caches the
   * import result per policy statement.
   */
  announce(family: Family, prefix: string, pathId: number, prepared: Prepared, byStatement: Map<string, Imported>): void {
    if (!this.usable(family)) return;
    if ('discard' in prepared) return this.discard(family, prefix, pathId, prepared.discard);
    const verdict = evaluatePolicy(this.adj.config.importPolicy, family, prefix);
    if (!verdict.accept) return this.discard(family, prefix, pathId, 'policy');
    const statementKey = String(verdict.statement ?? '');
    let imported = byStatement.get(statementKey);
    if (imported === undefined) {
      imported = importSet(this.adj, prepared, verdict.actions);
      byStatement.set(statementKey, imported);
    }
    const key = routeKey(family, prefix, pathId);
    const current = this.adj.routes.get(key);
    const limit = this.adj.config.maxPrefixes;
    if (current === undefined && limit !== undefined && this.adj.routes.size >= limit) {
      this.refused += 1;
      this.outcome.maxPrefixExceeded = { count: this.adj.routes.size + this.refused, limit };
      return;
    }
    setRoute(this.adj, family, prefix, pathId, imported, undefined, this.outcome.changes, this.receivedAt);
  }

  private discard(family: Family, prefix: string, pathId: number, reason: DiscardReason): void {
    this.outcome.discarded[reason] = (this.outcome.discarded[reason] ?? 0) + 1;
    removeRoute(this.adj, family, prefix, pathId, this.outcome.changes);
  }

  disable(family: Family): void {
    if (this.adj.disabledFamilies.has(family)) return;
    for (const change of disableFamily(this.adj, family)) this.outcome.changes.push(change);
    this.outcome.disabledFamilies.push(family);
  }
}

/**
 * A set after import policy: what paths are made of. One serves every route of a batch that
 * carries it, and keeps what those routes can share: the set's interned entry, and the last path
 * made of it, which the next route with the same identifier and age takes as its own (a path
 * names no prefix, and paths are never edited).
 */
interface Imported {
  set: AttributeSet;
  localPref?: number;
  entry?: InternedSet;
  path?: Path;
}

function importSet(adj: AdjRibIn, prepared: AttributeSet, actions: PolicyActions | undefined): Imported {
  if (actions === undefined) return { set: prepared };
  // LOCAL_PREF chosen on import ranks the path; it is not written into the attributes, which for
  // an external path must not carry one (RFC 4271 section 5.1.5).
  const { localPref, ...edits } = actions;
  const attributes = applyAttributeActions(prepared.attributes, edits, adj.config.source.peerAs);
  const set = { nextHops: prepared.nextHops, attributes };
  return localPref === undefined ? { set } : { set, localPref };
}

/**
 * Stores a path received at `now`, unless the same one is there already (which keeps its age, as
 * does a path marked stale).
 */
function setRoute(
  adj: AdjRibIn,
  family: Family,
  prefix: string,
  pathId: number,
  imported: Imported,
  stale: 'gr' | 'llgr' | undefined,
  changes: PathChange[],
  now: number,
): void {
  const key = routeKey(family, prefix, pathId);
  const current = adj.routes.get(key);
  const { interner } = adj.context;
  const entry = imported.entry !== undefined ? acquireEntry(interner, imported.entry) : acquire(interner, imported.set);
  imported.entry = entry;
  const unchanged =
    current !== undefined && current.entry === entry && current.localPref === imported.localPref && current.stale === stale;
  if (unchanged) {
    release(interner, entry);
    return;
  }
  if (current !== undefined) release(interner, current.entry);
  const receivedAt = stale !== undefined && current !== undefined ? current.path.ranking.receivedAt : now;
  const last = imported.path;
  const shared =
    last !== undefined && stale === undefined && last.pathId === pathId && last.ranking.receivedAt === receivedAt &&
    last.attributes === entry.set.attributes;
  const path = shared
    ? last
    : makePath(
        {
          source: adj.config.source,
          pathId,
          nextHops: entry.set.nextHops,
          attributes: entry.set.attributes,
          receivedAt,
          ...(stale !== undefined && { stale }),
          ...(imported.localPref !== undefined && { localPref: imported.localPref }),
        },
        adj.context.hooks,
      );
  if (stale === undefined) imported.path = path;
  const route: AdjRibInRoute = { family, prefix, pathId, path, entry };
  if (imported.localPref !== undefined) route.localPref = imported.localPref;
  if (stale !== undefined) route.stale = stale;
  adj.routes.set(key, route);
  changes.push({ type: 'set', family, prefix, path });
}

function removeRoute(adj: AdjRibIn, family: Family, prefix: string, pathId: number, changes: PathChange[]): void {
  const key = routeKey(family, prefix, pathId);
  const current = adj.routes.get(key);
  if (current === undefined) return;
  release(adj.context.interner, current.entry);
  adj.routes.delete(key);
  changes.push({ type: 'remove', family, prefix, peerAddress: adj.config.source.peerAddress, pathId });
}

/**
 * End-of-RIB (RFC 4724 section 2): an UPDATE with nothing in it is ipv4-unicast's; one whose only
 * attribute is an MP_UNREACH_NLRI without prefixes is its family's.
 */
export function endOfRibFamily(update: UpdateMessage): Family | undefined {
  if (update.withdrawn.length > 0 || update.nlri.length > 0) return undefined;
  if (update.attributes.length === 0) return 'ipv4-unicast';
  const [lone] = update.attributes;
  if (update.attributes.length !== 1 || lone.type !== 'mp-unreach') return undefined;
  return ('withdrawn' in lone ? lone.withdrawn.length === 0 : lone.nlriData === '') ? lone.family : undefined;
}

/**
 * Applies one decoded UPDATE with its RFC 7606 error, if any: `treat-as-withdraw` withdraws every
 * prefix it announces, `attribute-discard` uses it as decoded (the codec left the attribute out),
 * `afi-safi-disable` drops the family's paths and ignores the family from then on.
 */
export function receiveUpdate(adj: AdjRibIn, update: UpdateMessage, error?: WireError): ReceiveOutcome {
  const receiver = new Receiver(adj);
  if (error?.action === 'afi-safi-disable' && error.family !== undefined) receiver.disable(error.family);
  if (error === undefined) {
    const family = endOfRibFamily(update);
    if (family !== undefined) {
      receiver.outcome.endOfRib.push(family);
      return receiver.outcome;
    }
  }
  const withdrawAll = error?.action === 'treat-as-withdraw';
  // RFC 4271 section 9: withdrawals first, then announcements.
  const withdraw = (family: Family, prefixes: UpdateMessage['withdrawn']): void => {
    for (const { prefix, pathId } of prefixes) {
      const canonical = canonicalPrefix(prefix, family);
      if (canonical !== undefined) receiver.withdraw(family, canonical, pathId ?? 0);
    }
  };
  withdraw('ipv4-unicast', update.withdrawn);
  for (const attribute of update.attributes) {
    if (attribute.type === 'mp-unreach' && 'withdrawn' in attribute) withdraw(attribute.family, attribute.withdrawn);
  }
  const shared = update.attributes.filter(
    (attribute) => attribute.type !== 'next-hop' && attribute.type !== 'mp-reach' && attribute.type !== 'mp-unreach',
  );
  const announce = (family: Family, prefixes: UpdateMessage['nlri'], nextHops: string[]): void => {
    if (prefixes.length === 0) return;
    if (withdrawAll) return withdraw(family, prefixes);
    const prepared = prepare(adj, { nextHops, attributes: shared });
    const byStatement = new Map<string, Imported>();
    for (const { prefix, pathId } of prefixes) {
      const canonical = canonicalPrefix(prefix, family);
      if (canonical !== undefined) receiver.announce(family, canonical, pathId ?? 0, prepared, byStatement);
    }
  };
  const nextHop = findAttribute(update.attributes, 'next-hop');
  announce('ipv4-unicast', update.nlri, nextHop !== undefined ? [nextHop.value] : []);
  for (const attribute of update.attributes) {
    if (attribute.type === 'mp-reach' && 'nlri' in attribute) announce(attribute.family, attribute.nlri, attribute.nextHops);
  }
  return receiver.outcome;
}

const FAMILY_OF_CODE: Record<number, UnicastFamilyName> = {
  [COLUMN_FAMILY['ipv4-unicast']]: 'ipv4-unicast',
  [COLUMN_FAMILY['ipv6-unicast']]: 'ipv6-unicast',
};

/**
 * Applies a bulk-decoded burst. The decoder already withdrew the prefixes of treat-as-withdraw
 * messages and dropped those of a family being disabled from its message; the family's routes
 * in the rest of the burst are dropped here, as the family is off for the session.
 */
export function receiveRoutes(adj: AdjRibIn, decoded: RouteDecodeResult): ReceiveOutcome {
  const receiver = new Receiver(adj);
  for (const { error } of decoded.errors) {
    if (error.action === 'afi-safi-disable' && error.family !== undefined) receiver.disable(error.family);
  }
  const prepared = new Map<number, { prepared: Prepared; byStatement: Map<string, Imported> }>();
  const { routes } = decoded;
  for (let row = 0; row < routes.count; row++) {
    const family = FAMILY_OF_CODE[routes.family[row]];
    if (family === undefined) continue;
    const prefix = prefixFromOctets(family, routes.address, row * 16, routes.prefixLength[row]);
    const setIndex = routes.attributeSet[row];
    if (setIndex === WITHDRAW) {
      receiver.withdraw(family, prefix, routes.pathId[row]);
      continue;
    }
    let known = prepared.get(setIndex);
    if (known === undefined) {
      known = { prepared: prepare(adj, decoded.attributeSets[setIndex]), byStatement: new Map() };
      prepared.set(setIndex, known);
    }
    receiver.announce(family, prefix, routes.pathId[row], known.prepared, known.byStatement);
  }
  receiver.outcome.endOfRib.push(...decoded.endOfRib);
  return receiver.outcome;
}

/**
 * The peer went away with graceful restart in force: paths of `families` stay, marked stale, and
 * all others go. Long-lived (RFC 9494 section 4.2) also drops paths marked NO_LLGR and marks the
 * rest with the LLGR_STALE community, which makes them least preferred and goes with them when
 * they are advertised.
 */
export function markStale(adj: AdjRibIn, mode: 'gr' | 'llgr', families: Family[]): PathChange[] {
  const changes: PathChange[] = [];
  for (const route of [...adj.routes.values()]) {
    const { family, prefix, pathId, entry } = route;
    if (!families.includes(family) || (mode === 'llgr' && hasCommunity(entry.set.attributes, NO_LLGR))) {
      removeRoute(adj, family, prefix, pathId, changes);
      continue;
    }
    const attributes = mode === 'llgr' ? editCommunities(entry.set.attributes, { add: [LLGR_STALE] }) : entry.set.attributes;
    const imported: Imported = { set: { nextHops: entry.set.nextHops, attributes } };
    if (route.localPref !== undefined) imported.localPref = route.localPref;
    setRoute(adj, family, prefix, pathId, imported, mode, changes, route.path.ranking.receivedAt);
  }
  return changes;
}

/** Removes the paths still stale: of one family on its End-of-RIB, of all when the caller's timer ran out. */
export function sweepStale(adj: AdjRibIn, family?: Family): PathChange[] {
  const changes: PathChange[] = [];
  for (const route of [...adj.routes.values()]) {
    if (route.stale !== undefined && (family === undefined || route.family === family)) {
      removeRoute(adj, route.family, route.prefix, route.pathId, changes);
    }
  }
  return changes;
}

/** Removes every path, as when the session ends without graceful restart. */
export function clearAdjRibIn(adj: AdjRibIn): PathChange[] {
  const changes: PathChange[] = [];
  for (const route of [...adj.routes.values()]) removeRoute(adj, route.family, route.prefix, route.pathId, changes);
  return changes;
}

/** RFC 7606 AFI/SAFI disable: the family's paths go and its routes are ignored until the session ends. */
export function disableFamily(adj: AdjRibIn, family: Family): PathChange[] {
  adj.disabledFamilies.add(family);
  const changes: PathChange[] = [];
  for (const route of [...adj.routes.values()]) {
    if (route.family === family) removeRoute(adj, family, route.prefix, route.pathId, changes);
  }
  return changes;
}

/**
 * Carries stale paths over to a new session of the same peer (RFC 4724 section 4.2): they stay
 * until the peer sends them again or its End-of-RIB sweeps them, and new paths come under the new
 * session's settings.
 */
export function reconfigureAdjRibIn(adj: AdjRibIn, config: AdjRibInConfig): void {
  adj.config = config;
  adj.disabledFamilies.clear();
}

/** Sets a path past the checks and the import policy: a path this speaker originates. */
export function originateRoute(
  adj: AdjRibIn,
  family: Family,
  prefix: string,
  pathId: number,
  set: AttributeSet,
): PathChange[] {
  const changes: PathChange[] = [];
  setRoute(adj, family, prefix, pathId, { set }, undefined, changes, adj.context.now());
  return changes;
}

/** Removes a path this speaker originated. */
export function withdrawOriginated(adj: AdjRibIn, family: Family, prefix: string, pathId: number): PathChange[] {
  const changes: PathChange[] = [];
  removeRoute(adj, family, prefix, pathId, changes);
  return changes;
}
