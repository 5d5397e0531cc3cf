/**
 * The Adj-RIB-Out of an update group (RFC 4271 section 3.2): what its peers have been sent, by
 * destination and ADD-PATH identifier (0 without ADD-PATH), each route with its exported
 * attribute set and the peer its path came from. Replacing a destination's routes answers with
 * the difference, which is exactly what the next UPDATE must say.
 */
import type { Family } from '../wire/types.ts';
import { acquireEntry, release, type AttributeInterner, type InternedSet } from './attribute-interning.ts';
import { destinationKey } from './loc-rib.ts';
import type { ParsedPrefix } from './prefix.ts';
import { binaryPrefix } from './route-columns.ts';

export interface OutRoute {
  family: Family;
  prefix: string;
  /** ADD-PATH identifier sent; 0 when the family is sent without identifiers. */
  pathId: number;
  /** The exported set, interned in the group's interner. */
  entry: InternedSet;
  /** Address of the peer the path was learned from (this speaker's for local paths). */
  source: string;
}

/** A route as the table holds it, with its destination's prefix in binary form for the codec's columns. */
export interface HeldRoute extends OutRoute {
  binaryPrefix: ParsedPrefix;
}

/** One route that changed: announced or replaced when `now` is set, withdrawn when only `before` is. */
export interface OutChange {
  family: Family;
  prefix: string;
  binaryPrefix: ParsedPrefix;
  pathId: number;
  before?: HeldRoute;
  now?: HeldRoute;
}

/** A destination's routes by ADD-PATH identifier, and its prefix parsed once. */
interface HeldDestination {
  binaryPrefix: ParsedPrefix;
  routes: Map<number, HeldRoute>;
}

export class AdjRibOut {
  private readonly byDestination = new Map<string, HeldDestination>();
  private routeCount = 0;
  /** Routes by the peer their path came from. */
  private readonly bySource = new Map<string, number>();
  /** Grows with every change, so that what was computed from the table can tell it is stale. */
  version = 0;

  constructor(private readonly interner: AttributeInterner) {}

  get size(): number {
    return this.routeCount;
  }

  /** Whether some route's path came from this peer. */
  hasRoutesFrom(source: string): boolean {
    return this.bySource.has(source);
  }

  private count(source: string, delta: number): void {
    const count = (this.bySource.get(source) ?? 0) + delta;
    if (count === 0) this.bySource.delete(source);
    else this.bySource.set(source, count);
  }

  /**
   * Puts `routes` in place of a destination's routes and returns the changes: routes gone, new,
   * or with another set or source. The entries of `routes` are acquired here.
   */
  replace(family: Family, prefix: string, routes: OutRoute[]): OutChange[] {
    const key = destinationKey(family, prefix);
    const held = this.byDestination.get(key);
    if (held === undefined && routes.length === 0) return [];
    const parsed = held?.binaryPrefix ?? binaryPrefix(family, prefix);
    const previous = held?.routes;
    const next = new Map<number, HeldRoute>();
    const changes: OutChange[] = [];
    for (const route of routes) {
      const entry = acquireEntry(this.interner, route.entry);
      const current = previous?.get(route.pathId);
      if (current !== undefined && current.entry === entry && current.source === route.source) {
        release(this.interner, entry);
        next.set(route.pathId, current);
        continue;
      }
      // One literal shape for every held route keeps the table's readers monomorphic.
      const stored: HeldRoute = {
        family,
        prefix,
        pathId: route.pathId,
        entry,
        source: route.source,
        binaryPrefix: parsed,
      };
      next.set(route.pathId, stored);
      changes.push({
        family,
        prefix,
        binaryPrefix: parsed,
        pathId: route.pathId,
        ...(current !== undefined && { before: current }),
        now: stored,
      });
    }
    for (const [pathId, route] of previous ?? []) {
      if (!next.has(pathId)) changes.push({ family, prefix, binaryPrefix: parsed, pathId, before: route });
    }
    for (const change of changes) {
      if (change.before !== undefined) {
        release(this.interner, change.before.entry);
        this.count(change.before.source, -1);
      }
      if (change.now !== undefined) this.count(change.now.source, 1);
    }
    this.routeCount += next.size - (previous?.size ?? 0);
    if (next.size === 0) this.byDestination.delete(key);
    else this.byDestination.set(key, { binaryPrefix: parsed, routes: next });
    if (changes.length > 0) this.version += 1;
    return changes;
  }

  /** Every route, destination by destination. */
  *routes(): IterableIterator<HeldRoute> {
    for (const { routes } of this.byDestination.values()) yield* routes.values();
  }

  /** Forgets every route, releasing their sets. */
  clear(): void {
    for (const route of this.routes()) release(this.interner, route.entry);
    this.byDestination.clear();
    this.bySource.clear();
    this.routeCount = 0;
    this.version += 1;
  }
}
