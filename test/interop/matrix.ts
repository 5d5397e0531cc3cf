/**
 * The interop matrix: the five daemons, and for each feature the daemons that cannot take part, with
 * the reason. A test for an unsupported pair is skipped with that reason, never passed silently.
 */
import { bird } from '../daemons/bird.ts';
import type { DaemonDriver } from '../daemons/config.ts';
import { exabgp } from '../daemons/exabgp.ts';
import { frr } from '../daemons/frr.ts';
import { gobgp } from '../daemons/gobgp.ts';
import { openbgpd } from '../daemons/openbgpd.ts';

export const DAEMONS: DaemonDriver[] = [bird, frr, gobgp, openbgpd, exabgp];

export type Feature =
  | 'extended-next-hop'
  | 'link-bandwidth'
  | 'ecmp'
  | 'rr-client-add-path'
  | 'route-reflector'
  | 'gr-helper'
  | 'gr-restarting';

const UNSUPPORTED: Record<Feature, Record<string, string>> = {
  'extended-next-hop': { openbgpd: 'OpenBGPD 7.7 has no RFC 8950 extended next hop' },
  'link-bandwidth': { openbgpd: 'OpenBGPD 7.7 cannot set a link bandwidth extended community on a route it originates' },
  ecmp: {
    gobgp: 'GoBGP installs no routes without zebra, and its RIB marks no multipath set',
    openbgpd: 'OpenBGPD on Linux keeps no FIB (fib-update no), so it installs no multipath route',
    exabgp: 'ExaBGP keeps no RIB and installs no routes',
  },
  'rr-client-add-path': {},
  'route-reflector': {
    exabgp: 'ExaBGP keeps no RIB, so it cannot reflect routes',
  },
  'gr-helper': {
    exabgp: 'ExaBGP keeps no RIB: it has no routes to keep stale while a peer restarts',
  },
  'gr-restarting': {
    openbgpd: 'OpenBGPD 7.7 announces graceful restart as a helper only (restart time 0, no address families), so no peer keeps its routes',
  },
};

/** The skip reason for a daemon and a feature, or false when the daemon supports it. */
export function unsupported(feature: Feature, daemon: DaemonDriver): string | false {
  const reason = UNSUPPORTED[feature][daemon.name];
  return reason ? `not supported by the daemon: ${reason}` : false;
}

/** ExaBGP dials its neighbours; the other daemons wait for Porter to connect. */
export function daemonDials(daemon: DaemonDriver): boolean {
  return daemon.name === 'exabgp';
}

/** Whether the tier can run here: it creates namespaces. */
export const NEEDS_ROOT = process.getuid?.() === 0 ? false : 'needs root: it creates network namespaces';

/**
 * The next hop a daemon gives its IPv6 routes on an IPv4 session: its IPv6 address on the link, but
 * GoBGP sends the IPv4-mapped form of its IPv4 one (::ffff:a.b.c.d) and has no per-neighbour way to
 * set it (its policies are global).
 */
export function ipv6NextHopOverIpv4(daemon: DaemonDriver, own: { ipv4: string; ipv6: string }): string {
  return daemon.name === 'gobgp' ? `::ffff:${own.ipv4}` : own.ipv6;
}
