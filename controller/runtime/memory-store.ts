/**
 * The in-memory store every source fills and every reconciler reads: the latest object of each kind
 * by key, with a 'change' event per difference. It plays the part of client-go's informer cache.
 *
 * Objects are stored as given and handed out as stored, without copies: callers treat them as
 * immutable. A writer that changes an object builds a new one and applies it, as an API round-trip
 * would return a new object.
 */
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { objectKey, type Kind, type KindMap, type ObjectKey, type ReadStore, type StoreEvent } from './types.ts';

/**
 * Emits 'change' (a `StoreEvent`) for each object added, modified or deleted, after the store holds
 * the new state, and 'synced' (the kind) when `replace` first marks a kind listed. Listeners must not
 * throw: an exception would surface in the source that applied the change.
 */
export class MemoryStore extends EventEmitter implements ReadStore {
  readonly #objects = new Map<Kind, Map<ObjectKey, KindMap[Kind]>>();
  readonly #synced = new Set<Kind>();

  /** The object of this kind under `key`, if any. */
  get<K extends Kind>(kind: K, key: ObjectKey): KindMap[K] | undefined {
    return this.#objects.get(kind)?.get(key) as KindMap[K] | undefined;
  }

  /** Every object of this kind, in the order they were first added. */
  list<K extends Kind>(kind: K): KindMap[K][] {
    return [...(this.#objects.get(kind)?.values() ?? [])] as KindMap[K][];
  }

  /** `replace` has run at least once for this kind. */
  synced(kind: Kind): boolean {
    return this.#synced.has(kind);
  }

  /**
   * Adds or updates one object (a watch's ADDED or MODIFIED). An object equal to the stored one,
   * resourceVersion included, changes nothing and emits nothing: a resync or a rescan that brings
   * the same object again must not start a reconcile.
   */
  apply<K extends Kind>(kind: K, object: KindMap[K]): void {
    const event = this.#put(kind, object);
    if (event) this.emit('change', event);
  }

  /** Deletes one object (a watch's DELETED); emits `deleted` with its last state if it was there. */
  remove<K extends Kind>(kind: K, key: ObjectKey): void {
    const objects = this.#objects.get(kind);
    const old = objects?.get(key);
    if (!objects || old === undefined) return;
    objects.delete(key);
    this.emit('change', { kind, type: 'deleted', key, object: old } satisfies StoreEvent);
  }

  /**
   * Makes this kind's objects exactly `objects` (a list or relist), emitting an event for each
   * difference only, then marks the kind synced. All changes are in the store before the first
   * event, so a listener sees the listed state whatever it reads.
   */
  replace<K extends Kind>(kind: K, objects: readonly KindMap[K][]): void {
    const stored = this.#kindMap(kind);
    const listed = new Set<ObjectKey>();
    const events: StoreEvent[] = [];
    for (const object of objects) {
      listed.add(objectKey(object.metadata));
      const event = this.#put(kind, object);
      if (event) events.push(event);
    }
    for (const [key, old] of stored) {
      if (listed.has(key)) continue;
      stored.delete(key);
      events.push({ kind, type: 'deleted', key, object: old });
    }
    const first = !this.#synced.has(kind);
    this.#synced.add(kind);
    for (const event of events) this.emit('change', event);
    if (first) this.emit('synced', kind);
  }

  #put<K extends Kind>(kind: K, object: KindMap[K]): StoreEvent | undefined {
    const objects = this.#kindMap(kind);
    const key = objectKey(object.metadata);
    const old = objects.get(key) as KindMap[K] | undefined;
    if (old !== undefined && (old === object || isDeepStrictEqual(old, object))) return undefined;
    objects.set(key, object);
    return old === undefined ? { kind, type: 'added', key, object } : { kind, type: 'modified', key, object, old };
  }

  #kindMap(kind: Kind): Map<ObjectKey, KindMap[Kind]> {
    let objects = this.#objects.get(kind);
    if (!objects) {
      objects = new Map();
      this.#objects.set(kind, objects);
    }
    return objects;
  }
}
