/**
 * The forwarding view of a Loc-RIB: for each prefix, the next-hop group a router would install,
 * that is the multipath set (the best path alone without multipath), each next hop weighted by its
 * path's link bandwidth (draft-ietf-idr-link-bandwidth) when every member carries one, as routers
 * doing weighted ECMP do; otherwise equal.
 */
import type { LocRibEntry, LocRibPath } from '../speaker/views.ts';

export interface ForwardingNextHop {
  address: string;
  /** The peer the path came from (`local` for our own). */
  peer: string;
  /** Relative share: link bandwidth in bytes per second, or 1 each when not every path has one. */
  weight: number;
}

export interface ForwardingEntry {
  prefix: string;
  nextHops: ForwardingNextHop[];
  weighted: boolean;
}

export function forwardingView(locRib: readonly LocRibEntry[]): ForwardingEntry[] {
  return locRib.flatMap((entry) => {
    const members = entry.paths.filter((path) => path.best || path.multipath);
    const hops = members.flatMap((path) => path.nextHops.slice(0, 1).map((address) => ({ address, peer: path.peer, bandwidth: bandwidthOf(path) })));
    if (hops.length === 0) return [];
    const weighted = hops.every((hop) => hop.bandwidth !== undefined && hop.bandwidth > 0);
    const nextHops = hops
      .map(({ address, peer, bandwidth }) => ({ address, peer, weight: weighted ? Math.round(bandwidth ?? 1) : 1 }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return [{ prefix: entry.prefix, nextHops, weighted }];
  });
}

function bandwidthOf(path: LocRibPath): number | undefined {
  for (const attribute of path.attributes) {
    if (attribute.type !== 'extended-communities') continue;
    for (const community of attribute.values) {
      if (community.type === 'link-bandwidth') return community.bandwidth;
    }
  }
  return undefined;
}
