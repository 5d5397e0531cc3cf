/** Allocating the bulk codec's columns (types.ts, RouteColumns). */
import type { RouteColumns } from './types.ts';

/** Columns for `count` routes, every field zero: IPv4 unicast, prefix length 0, path id 0, set 0. */
export function emptyRouteColumns(count: number): RouteColumns {
  return {
    count,
    family: new Uint8Array(count),
    prefixLength: new Uint8Array(count),
    address: new Uint8Array(count * 16),
    pathId: new Uint32Array(count),
    attributeSet: new Uint32Array(count),
  };
}
