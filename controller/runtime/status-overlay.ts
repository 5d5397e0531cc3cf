/**
 * The link between standalone mode's writer and source over one store: the writer's statuses must
 * be laid over every object the source reads from the manifests, or a rescan would put the file's
 * status-less object back and undo them. The writer registers its overlay for its store here, and
 * the source looks it up at each scan, so the two need not be wired to each other by hand.
 */
import type { Kind, KindMap, ReadStore } from './types.ts';

/** Lays statuses over an object read from a manifest. */
export type StatusOverlay = <K extends Kind>(kind: K, object: KindMap[K]) => KindMap[K];

const overlays = new WeakMap<ReadStore, StatusOverlay>();

/** Makes `overlay` the one the manifest source applies for this store. */
export function registerStatusOverlay(store: ReadStore, overlay: StatusOverlay): void {
  overlays.set(store, overlay);
}

/** Removes the overlay registered for this store, if it is this one. */
export function unregisterStatusOverlay(store: ReadStore, overlay: StatusOverlay): void {
  if (overlays.get(store) === overlay) overlays.delete(store);
}

/** The overlay registered for this store, if any. */
export function statusOverlayOf(store: ReadStore): StatusOverlay | undefined {
  return overlays.get(store);
}
