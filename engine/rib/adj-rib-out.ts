/**
 * The Adj-RIB-Out of an update group (RFC 4271 section 3.2): what its peers have been sent, by
 * destination and ADD-PATH identifier (0 without ADD-PATH), each route with its exported
 * attribute set and the peer its path came from. Replacing a destination's routes answers with
 * the difference, which is exactly what the next UPDATE must say.
 */
import type { Family } from '../wire/types.ts';
import { acquireEntry, release, type AttributeInterner, type InternedSet } from './attribute-interning.ts';
import { destinationKey } from './loc-rib.ts';

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

/** One route that changed: announced or replaced when `now` is set, withdrawn when only `before` is. */
export interface OutChange {
  family: Family;
  prefix: string;
  pathId: number;
  before?: OutRoute;
  now?: OutRoute;
}


export class AdjRibOut {
  /**
   * Each destination's routes, one per ADD-PATH identifier. A list: a destination is sent one
   * route, or a handful with ADD-PATH.
   */
  private readonly byDestination = new Map<string, OutRoute[]>();
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
    const previous = this.byDestination.get(key) ?? [];
    if (previous.length === 0 && routes.length === 0) return [];
    const changes: OutChange[] = [];
    // Mapped, not pushed, so that the list held has no spare room: there is one per destination.
    const next = routes.map((route): OutRoute => {
      const entry = acquireEntry(this.interner, route.entry);
      const current = previous.find((old) => old.pathId === route.pathId);
      if (current !== undefined && current.entry === entry && current.source === route.source) {
        release(this.interner, entry);
        return current;
      }
      // One literal shape for every held route keeps the table's readers monomorphic.
      const stored: OutRoute = { family, prefix, pathId: route.pathId, entry, source: route.source };
      changes.push({
        family,
        prefix,
        pathId: route.pathId,
        ...(current !== undefined && { before: current }),
        now: stored,
      });
      return stored;
    });
    for (const route of previous) {
      if (!next.some((kept) => kept.pathId === route.pathId)) {
        changes.push({ family, prefix, pathId: route.pathId, before: route });
      }
    }
    for (const change of changes) {
      if (change.before !== undefined) {
        release(this.interner, change.before.entry);
        this.count(change.before.source, -1);
      }
      if (change.now !== undefined) this.count(change.now.source, 1);
    }
    this.routeCount += next.length - previous.length;
    if (next.length === 0) this.byDestination.delete(key);
    else this.byDestination.set(key, next);
    if (changes.length > 0) this.version += 1;
    return changes;
  }

  /** Every route, destination by destination. */
  *routes(): IterableIterator<OutRoute> {
    for (const routes of this.byDestination.values()) yield* routes;
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
