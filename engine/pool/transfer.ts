/**
 * Transfer lists: the ArrayBuffers behind typed arrays, so postMessage moves them instead of copying.
 * A transferred buffer is detached on the sending side, so only buffers the sender gives up go here.
 */
import { Piscina, transferableSymbol, valueSymbol } from 'piscina';

/**
 * The distinct ArrayBuffers behind `views`. Each appears once (postMessage refuses duplicates, and
 * columns may share one buffer); SharedArrayBuffers are shared, not moved, so they are left out.
 * Buffers Node will not transfer (the addon's external memory, Buffer's pool) are ignored by
 * postMessage and copied instead.
 */
export function transferList(...views: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    if (view.buffer instanceof ArrayBuffer && view.buffer.byteLength > 0) buffers.add(view.buffer);
  }
  return [...buffers];
}

/**
 * A worker's answer whose buffers move back to the main thread. Piscina moves only a top-level
 * task value, so the whole answer is wrapped, with every buffer in its transfer list.
 */
export function moveAnswer<T>(value: T, views: ArrayBufferView[]): T {
  return Piscina.move({
    [transferableSymbol]: transferList(...views),
    [valueSymbol]: value as object,
  }) as unknown as T;
}
