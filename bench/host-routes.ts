/** The routes the benchmark testers announce: IPv4 /32s, each numbered, all with attribute set 0. */
import { emptyRouteColumns } from '../engine/wire/route-columns.ts';
import type { RouteColumns } from '../engine/wire/types.ts';

/** `count` /32s; route `j` is the address `numberOf(j)` (a 32-bit number in host order). */
export function ipv4HostRoutes(count: number, numberOf: (j: number) => number): RouteColumns {
  const routes = emptyRouteColumns(count);
  routes.prefixLength.fill(32);
  const view = new DataView(routes.address.buffer);
  for (let j = 0; j < count; j++) view.setUint32(j * 16, numberOf(j));
  return routes;
}
