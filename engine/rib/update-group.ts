/**
 * Update groups: peers that would be sent the same UPDATEs share one. Two peers are in one group
 * when their export profile (peer kind, client flag, our addresses for next hop self, LLGR
 * families), their export policy and their session's encoding (families, ADD-PATH send per
 * family, 4-octet AS, extended messages) are equal. A group computes its Adj-RIB-Out once and
 * encodes each change once (`encodeRoutes` packs the routes of a set into the fewest UPDATEs); the
 * same bytes go to every member.
 *
 * One exception keeps a path from going back to the peer it came from: a member that is the
 * source of a changed route gets its own encoding of the change, without its routes. Only such
 * members are encoded for separately, so a change costs one encoding plus one per source peer
 * that is a member.
 */
import type { WireCodec } from '../wire/index.ts';
import { WireEncodeError } from '../wire/errors.ts';
import {
  WITHDRAW,
  type AttributeSet,
  type Family,
  type PathAttribute,
  type SessionContext,
  type UpdateMessage,
} from '../wire/types.ts';
import {
  createInterner,
  DerivedCache,
  entryOf,
  intern,
  type AttributeInterner,
  type InternedSet,
} from './attribute-interning.ts';
import { AdjRibOut, type OutChange, type OutRoute } from './adj-rib-out.ts';
import type { Destination } from './destination.ts';
import { exportContextKey, exportedSet, exportRefusal, type ExportProfile } from './export-rules.ts';
import { destinationKey, routeKey, type LocRib } from './loc-rib.ts';
import type { Path } from './path.ts';
import type { PathIdAllocator } from './path-ids.ts';
import { evaluatePolicy, type Policy, type PolicyActions } from './policy.ts';
import { hasBytes, type OutboundBytes } from './outbound-bytes.ts';
import { isIpv4Address } from './prefix.ts';
import type { ColumnRow } from './route-columns.ts';
import { encodeRows, type RouteEncoder } from './route-encoder.ts';

/** What the driver gives the RIB for each established session: a way to write bytes to the peer. */
export interface UpdateGroupMember {
  /**
   * Writes UPDATE messages (whole messages, concatenated) to the peer's connection, in the order
   * given: bytes still being encoded in the pool are written when they arrive (OrderedOutbox).
   */
  send(bytes: OutboundBytes): void;
}

/** Everything that decides what a peer is sent; equal profiles, one group. */
export interface GroupProfile extends ExportProfile {
  /** Families negotiated on the session. */
  families: Family[];
  /** Families we send several paths for (RFC 7911). */
  addPath: Family[];
  extendedMessage: boolean;
  /** With ADD-PATH: every multipath member, or at most this many valid paths, best first. */
  addPathPaths: 'multipath' | number;
  exportPolicy?: Policy;
}

export function groupKey(profile: GroupProfile): string {
  const sorted = (values: readonly string[]): string[] => [...values].sort();
  return JSON.stringify({
    ...profile,
    families: sorted(profile.families),
    addPath: sorted(profile.addPath),
    llgrFamilies: sorted(profile.llgrFamilies),
  });
}

/** What every group of one speaker shares. */
export interface GroupEnvironment {
  codec: WireCodec;
  locRib: LocRib;
  /** The sets the Loc-RIB's paths are interned in. */
  inbound: AttributeInterner;
  pathIds: PathIdAllocator;
  /** Where large batches are encoded off the main thread; without it, all are encoded here. */
  encoder?: RouteEncoder;
}

/** A route to encode: announced with `entry`, withdrawn without. */
interface EncodeRow {
  route: { family: Family; prefix: string; pathId: number };
  entry?: InternedSet;
}

export class UpdateGroup {
  readonly key: string;
  readonly adjRibOut: AdjRibOut;
  private readonly members = new Map<string, UpdateGroupMember>();
  private readonly interner = createInterner();
  private readonly exported = new DerivedCache<InternedSet | null>();
  private readonly context: SessionContext;
  private readonly endOfRib = new Map<Family, Uint8Array>();
  private fullDump?: { version: number; bytes: OutboundBytes };
  private lastExport?: {
    path: Path;
    family: Family;
    statement: number | undefined;
    actions: PolicyActions | undefined;
    entry: InternedSet | null;
  };

  constructor(
    readonly profile: GroupProfile,
    private readonly environment: GroupEnvironment,
  ) {
    this.key = groupKey(profile);
    this.adjRibOut = new AdjRibOut(this.interner);
    this.context = { fourOctetAs: profile.fourOctetAs, addPath: profile.addPath, extendedMessage: profile.extendedMessage };
    for (const destination of environment.locRib.destinations.values()) {
      if (this.profile.families.includes(destination.family)) {
        this.adjRibOut.replace(destination.family, destination.prefix, this.routesOf(destination));
      }
    }
  }

  get memberCount(): number {
    return this.members.size;
  }

  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** Adds a member, which from now on receives the group's changes; `dump` sends it the table. */
  join(id: string, member: UpdateGroupMember): void {
    this.members.set(id, member);
  }

  /**
   * Adds a member that was sent `previous` by another group (its export policy or profile
   * changed), and sends it only the difference between that and what this group sends it.
   */
  joinFrom(id: string, member: UpdateGroupMember, previous: readonly OutRoute[]): void {
    this.members.set(id, member);
    const keyOf = (route: OutRoute): string => routeKey(route.family, route.prefix, route.pathId);
    const before = new Map(previous.map((route) => [keyOf(route), route]));
    const rows: EncodeRow[] = [];
    for (const route of this.viewOf(id)) {
      const key = keyOf(route);
      const old = before.get(key);
      before.delete(key);
      if (old === undefined || old.entry.key !== route.entry.key) rows.push({ route, entry: route.entry });
    }
    for (const route of before.values()) rows.push({ route });
    const bytes = this.encode(rows);
    if (hasBytes(bytes)) member.send(bytes);
  }

  /** Removes a member; the others notice nothing. The group keeps its table until the caller drops it. */
  leave(id: string): void {
    this.members.delete(id);
  }

  /** Drops the group's table and sets. */
  dispose(): void {
    this.members.clear();
    this.adjRibOut.clear();
  }

  /**
   * Sends one member the whole table of some families (all of the session's by default), then an
   * End-of-RIB for each (RFC 4724 section 2): the initial transfer, also when the table is empty,
   * and the answer to a route refresh. The full table with its markers is encoded once for all
   * members that sourced none of its routes, until the table changes.
   */
  dump(id: string, families: readonly Family[] = this.profile.families, endOfRib = true): void {
    const member = this.members.get(id);
    if (member === undefined) return;
    const all =
      families.length === this.profile.families.length &&
      families.every((family) => this.profile.families.includes(family));
    if (all && endOfRib && !this.adjRibOut.hasRoutesFrom(id)) {
      if (this.fullDump?.version !== this.adjRibOut.version) {
        this.fullDump = { version: this.adjRibOut.version, bytes: this.tableBytes(undefined, families, true) };
      }
      member.send(this.fullDump.bytes);
      return;
    }
    const bytes = this.tableBytes(id, families, endOfRib);
    if (hasBytes(bytes)) member.send(bytes);
  }

  /** The routes one member has been sent: the group's, less those whose path it sent us. */
  viewOf(id: string): OutRoute[] {
    return [...this.adjRibOut.routes()].filter((route) => route.source !== id);
  }

  /**
   * Looks at destinations a Loc-RIB batch touched (those it dropped, without paths, included),
   * updates the Adj-RIB-Out, and sends the members the UPDATEs that tell the difference.
   */
  update(destinations: Iterable<Destination>): void {
    const changes: OutChange[] = [];
    for (const destination of destinations) {
      const { family, prefix } = destination;
      if (!this.profile.families.includes(family)) continue;
      for (const change of this.adjRibOut.replace(family, prefix, this.routesOf(destination))) changes.push(change);
    }
    this.send(changes);
  }

  /**
   * Sends changes to the members. A change reads the same to every member but the one or two whose
   * path it holds (its source now, or before), which are not sent their own path back. So changes
   * are cut into runs by those members: each run is encoded once as everyone reads it and once for
   * each of its source members, and a member is sent, run by run, its own reading or everyone's.
   * The encodings grow with the changes, not with the changes times the source members, which is
   * what one encoding of the whole batch per source member would cost a batch that many clients
   * of a reflector contributed to.
   */
  private send(changes: OutChange[]): void {
    if (changes.length === 0 || this.members.size === 0) return;
    const runs = new Map<string, Run>();
    for (const change of changes) {
      const sources = this.sourceMembers(change);
      const key = sources.join(' ');
      let run = runs.get(key);
      if (run === undefined) runs.set(key, (run = { sources, changes: [] }));
      run.changes.push(change);
    }
    const read = [...runs.values()].map((run) => ({ run, bytes: this.encodeChanges(run.changes, undefined) }));
    const common = joinBytes(read.map(({ bytes }) => bytes));
    const sourced = new Set(read.flatMap(({ run }) => run.sources));
    for (const [id, member] of this.members) {
      const bytes = sourced.has(id)
        ? joinBytes(read.map(({ run, bytes }) => (run.sources.includes(id) ? this.encodeChanges(run.changes, id) : bytes)))
        : common;
      if (hasBytes(bytes)) member.send(bytes);
    }
  }

  /** The members a change's path comes from, now or before: those that read it differently. */
  private sourceMembers({ before, now }: OutChange): string[] {
    const sources: string[] = [];
    if (now !== undefined && this.members.has(now.source)) sources.push(now.source);
    if (before !== undefined && before.source !== now?.source && this.members.has(before.source)) sources.push(before.source);
    return sources;
  }

  /** The UPDATEs a member (or any member that sourced none of them, when `id` is undefined) needs for the changes. */
  private encodeChanges(changes: OutChange[], id: string | undefined): OutboundBytes {
    const rows: EncodeRow[] = [];
    for (const change of changes) {
      const before = change.before?.source !== id ? change.before : undefined;
      const now = change.now?.source !== id ? change.now : undefined;
      if (before?.entry === now?.entry) continue;
      rows.push({ route: change, ...(now !== undefined && { entry: now.entry }) });
    }
    return this.encode(rows);
  }

  private encode(rows: EncodeRow[]): OutboundBytes {
    if (rows.length === 0) return new Uint8Array(0);
    const sets: AttributeSet[] = [];
    const indexOf = new Map<InternedSet, number>();
    const columnRows: ColumnRow[] = rows.map(({ route, entry }) => {
      let set = WITHDRAW;
      if (entry !== undefined) {
        set = indexOf.get(entry) ?? sets.length;
        if (set === sets.length) {
          indexOf.set(entry, set);
          sets.push(entry.set);
        }
      }
      return { family: route.family, prefix: route.prefix, pathId: route.pathId, set };
    });
    const { codec, encoder } = this.environment;
    return encodeRows(columnRows, sets, this.context, codec, encoder);
  }

  /** The table of some families without the routes `id` sourced, then, if asked, their End-of-RIB markers. */
  private tableBytes(id: string | undefined, families: readonly Family[], endOfRib: boolean): OutboundBytes {
    const rows = [...this.adjRibOut.routes()]
      .filter((route) => route.source !== id && families.includes(route.family))
      .map((route) => ({ route, entry: route.entry }));
    const markers = endOfRib ? families.map((family) => this.endOfRibBytes(family)) : [];
    const table = this.encode(rows);
    return table instanceof Promise ? table.then((bytes) => concat([bytes, ...markers])) : concat([table, ...markers]);
  }

  /** RFC 4724 section 2: an empty UPDATE for ipv4-unicast, a lone empty MP_UNREACH_NLRI for the others. */
  private endOfRibBytes(family: Family): Uint8Array {
    let bytes = this.endOfRib.get(family);
    if (bytes === undefined) {
      // The codec reads the prefixes of the unicast families only; others carry their NLRI as octets.
      const unreach: PathAttribute =
        family === 'ipv6-unicast'
          ? { type: 'mp-unreach', family, withdrawn: [] }
          : { type: 'mp-unreach', family, nlriData: '' };
      const attributes = family === 'ipv4-unicast' ? [] : [unreach];
      bytes = this.environment.codec.encodeMessage({ type: 'update', withdrawn: [], attributes, nlri: [] }, this.context);
      this.endOfRib.set(family, bytes);
    }
    return bytes;
  }

  /**
   * Whether a set can be sent on the group's sessions: one route of the family's longest prefix
   * with it fits in an UPDATE, and every value has an encoding. A path from a peer with extended
   * messages can outgrow a 4,096-octet session (RFC 8654 section 4); such a set is not sent, and
   * the rest of the group's routes go on. Checked once per exported set.
   */
  private encodable(set: AttributeSet, family: Family): boolean {
    const prefix = { prefix: LONGEST_PREFIX[family], ...(this.profile.addPath.includes(family) && { pathId: 0 }) };
    const nlriField = family === 'ipv4-unicast' && set.nextHops.length === 1 && isIpv4Address(set.nextHops[0]);
    const attributes: PathAttribute[] = nlriField
      ? [...set.attributes, { type: 'next-hop', value: set.nextHops[0] }]
      : [{ type: 'mp-reach', family, nextHops: set.nextHops, nlri: [prefix] }, ...set.attributes];
    const message: UpdateMessage = { type: 'update', withdrawn: [], attributes, nlri: nlriField ? [prefix] : [] };
    try {
      this.environment.codec.encodeMessage(message, this.context);
      return true;
    } catch (error) {
      if (error instanceof WireEncodeError) return false;
      throw error;
    }
  }

  /** What the group sends for one destination: the best path, or with ADD-PATH several, each exported. */
  private routesOf(destination: Destination): OutRoute[] {
    const { family, prefix, ranking } = destination;
    const verdict = evaluatePolicy(this.profile.exportPolicy, family, prefix);
    if (!verdict.accept || ranking.best === undefined) return [];
    const addPath = this.profile.addPath.includes(family);
    const limit = addPath && typeof this.profile.addPathPaths === 'number' ? this.profile.addPathPaths : Infinity;
    const candidates = !addPath
      ? [ranking.best]
      : this.profile.addPathPaths === 'multipath'
        ? ranking.multipath
        : [ranking.best, ...ranking.losers.map((loser) => loser.path).filter((path) => path.ranking.valid)];
    const routes: OutRoute[] = [];
    const key = destinationKey(family, prefix);
    for (const path of candidates) {
      if (routes.length >= limit) break;
      const entry = this.exportOf(path, family, verdict.statement, verdict.actions);
      if (entry === null) continue;
      const pathId = addPath ? this.environment.pathIds.idFor(key, path) : 0;
      routes.push({ family, prefix, pathId, entry, source: path.source.peerAddress });
    }
    return routes;
  }

  /**
   * What a path is sent as, null when it is not sent. The answer for the last path is kept: the
   * destinations of one batch mostly hold the very same path (see adj-rib-in.ts), and paths are
   * never edited.
   */
  private exportOf(
    path: Path,
    family: Family,
    statement: number | undefined,
    actions: PolicyActions | undefined,
  ): InternedSet | null {
    const last = this.lastExport;
    if (last?.path === path && last.family === family && last.statement === statement && last.actions === actions) {
      return last.entry;
    }
    const refused = exportRefusal(path, family, this.profile) !== undefined;
    const entry = refused ? null : this.exportedEntry(path, family, statement, actions);
    this.lastExport = { path, family, statement, actions, entry };
    return entry;
  }

  /** The exported set of a path, computed once per (inbound set, export context); null when it cannot be sent. */
  private exportedEntry(
    path: Path,
    family: Family,
    statement: number | undefined,
    actions: PolicyActions | undefined,
  ): InternedSet | null {
    const make = (): InternedSet | null => {
      const set = exportedSet(path, family, this.profile, actions);
      return set === undefined || !this.encodable(set, family) ? null : intern(this.interner, set);
    };
    const inbound = entryOf(this.environment.inbound, path.nextHops, path.attributes);
    if (inbound === undefined) return make();
    return this.exported.get(inbound, exportContextKey(path, family, this.profile, statement), make);
  }
}

/** The longest prefix of each family: a route with it is the largest UPDATE a set can make. */
const LONGEST_PREFIX: Record<string, string> = { 'ipv4-unicast': '0.0.0.0/32', 'ipv6-unicast': '::/128' };

/** Changes whose paths come from the same members. */
interface Run {
  sources: string[];
  changes: OutChange[];
}

/** Parts one after the other: bytes now, or later when a part is still being encoded in the pool. */
function joinBytes(parts: OutboundBytes[]): OutboundBytes {
  if (parts.length === 1) return parts[0];
  if (parts.some((part) => part instanceof Promise)) return Promise.all(parts).then(concat);
  return concat(parts as Uint8Array[]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((part) => part.length > 0);
  if (nonEmpty.length === 0) return new Uint8Array(0);
  if (nonEmpty.length === 1) return nonEmpty[0];
  const total = nonEmpty.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of nonEmpty) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
