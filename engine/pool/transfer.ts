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

/** The typed arrays that cross threads. */
type Column = Uint8Array | Uint32Array;

/** Every Column's element size divides this, so a copy laid at a multiple of it is aligned. */
const ALIGNMENT = 4;

/**
 * Copies of `views`, end to end in one new ArrayBuffer, so that a worker's answer moves in one
 * transfer. The addon's buffers are external memory, which postMessage copies on the receiving
 * thread (an allocation, a memcpy and garbage for the main thread); a copy made here costs the
 * worker one memcpy and the main thread nothing. Worth it for the encode task's UPDATE bytes; the
 * decode task's columns, five times their burst, measured slower this way (docs/pool.md).
 */
export function gather<T extends Column[]>(...views: T): T {
  const offsets: number[] = [];
  let size = 0;
  for (const view of views) {
    offsets.push(size);
    size += Math.ceil(view.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  const buffer = new ArrayBuffer(size);
  return views.map((view, i) => {
    const copy = view instanceof Uint32Array ? new Uint32Array(buffer, offsets[i], view.length) : new Uint8Array(buffer, offsets[i], view.length);
    copy.set(view);
    return copy;
  }) as T;
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
