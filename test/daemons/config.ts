/**
 * One router configuration shape for every daemon module: each renders it into its own syntax.
 * A daemon that cannot express a field leaves it out and says so in its `limits`.
 */
import type { RibReader } from './rib.ts';

export type UnicastFamily = 'ipv4-unicast' | 'ipv6-unicast';

export interface RouterConfig {
  routerId: string;
  asn: number;
  neighbors: NeighborConfig[];
  routes: RouteSpec[];
  /** Route reflector cluster id (RFC 4456); the router reflects for neighbours marked rrClient. */
  clusterId?: string;
  /** Equal-cost multipath over up to this many paths (eBGP and iBGP). */
  multipath?: number;
}

export interface NeighborConfig {
  /** The neighbour's address, which is also the session's transport family. */
  address: string;
  asn: number;
  /** This router's address on the shared link: the session source. */
  localAddress: string;
  /** This router's IPv4 address on the link: the next hop of IPv4 routes. */
  localIpv4?: string;
  /** This router's IPv6 address on the link: the next hop of IPv6 routes (and of IPv4 ones under RFC 8950). */
  localIpv6?: string;
  families: UnicastFamily[];
  /** Wait for the neighbour to connect instead of dialling it. */
  passive?: boolean;
  /** RFC 7911 mode offered for every family. */
  addPath?: 'send' | 'receive' | 'both';
  /** RFC 8950: IPv4 routes are sent with the IPv6 next hop `localIpv6`. */
  extendedNextHop?: boolean;
  /** RFC 4724 graceful restart, with the daemon's own families (every daemon is at least a helper). */
  gracefulRestart?: boolean;
  /** RFC 8654 extended messages. */
  extendedMessage?: boolean;
  holdTime?: number;
  /** Restart time announced with graceful restart, in seconds (default 120). */
  restartTime?: number;
  /** Seconds between connection attempts, where the daemon lets it be set. */
  connectRetry?: number;
  /** The neighbour is a route reflector client of this router (RFC 4456). */
  rrClient?: boolean;
}

export type ExtendedCommunitySpec =
  /** RFC 4360 route target, "asn:n" (2- or 4-octet AS by size) or "192.0.2.1:n". */
  | { type: 'route-target'; value: string }
  /**
   * draft-ietf-idr-link-bandwidth, in bytes per second: non-transitive (type 0x40) as drafted, or the
   * transitive form (type 0x00) that crosses eBGP sessions.
   */
  | { type: 'link-bandwidth'; asn: number; bytesPerSecond: number; transitive?: boolean };

export interface RouteSpec {
  /** CIDR, IPv4 or IPv6. */
  prefix: string;
  /**
   * Another path for the same prefix (ADD-PATH): routes sharing a prefix need distinct ids. Daemons
   * that choose path identifiers themselves use it only to keep the paths apart.
   */
  pathId?: number;
  /** Explicit next hop; by default the daemon's own address on the session. */
  nextHop?: string;
  origin?: 'igp' | 'egp' | 'incomplete';
  /** ASNs put in front of the path before the daemon adds its own (a prepend when it repeats the daemon's AS). */
  asPathPrepend?: number[];
  /** An AS_SET appended to the path, as aggregation would. */
  asSet?: number[];
  med?: number;
  /** Sent on iBGP sessions only (RFC 4271 section 5.1.5). */
  localPref?: number;
  /** "high:low" in decimal, well-known ones too ("65535:65281"). */
  communities?: string[];
  /** "global:local1:local2" */
  largeCommunities?: string[];
  extendedCommunities?: ExtendedCommunitySpec[];
}

export interface DaemonInstance {
  /** Package name, e.g. "bird". */
  name: string;
  version: string;
  pid: number;
  /** Withdraws the routes with these prefixes (all their paths). */
  withdraw(prefixes: string[]): Promise<void>;
  /** Administrative shutdown of the session, with an RFC 9003 message where the daemon can send one. */
  shutdown(neighbor: string, message: string): Promise<void>;
  stop(): Promise<void>;
  /** Sends a signal to the daemon's process group, every process it forked too (SIGSTOP freezes it). */
  signal(signal: NodeJS.Signals): void;
  /** The daemon's own log, for diagnosing a failed run. */
  log(): string;
  /** The paths of one family in the daemon's RIB (received and originated). */
  rib: RibReader;
  /**
   * The next hops the daemon installs for a prefix under multipath, where it can show them; a daemon
   * without multipath leaves this out.
   */
  multipathNextHops?(prefix: string): Promise<string[]>;
}

/** A way to run one daemon: start it with a configuration inside a namespace. */
export interface DaemonDriver {
  name: string;
  /** Fields of the configuration this daemon cannot express; they are left out. */
  limits: string[];
  start(namespace: string, workDir: string, config: RouterConfig): Promise<DaemonInstance>;
}

export function isIpv6(prefixOrAddress: string): boolean {
  return prefixOrAddress.includes(':');
}

/** The routes of one family. */
export function routesOf(config: RouterConfig, family: UnicastFamily): RouteSpec[] {
  return config.routes.filter((r) => isIpv6(r.prefix) === (family === 'ipv6-unicast'));
}

/** The routes grouped by path id (undefined first): daemons that keep one path per source need one source per group. */
export function pathGroups(routes: RouteSpec[]): RouteSpec[][] {
  const groups = new Map<number, RouteSpec[]>();
  for (const route of routes) {
    const id = route.pathId ?? 0;
    groups.set(id, [...(groups.get(id) ?? []), route]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
