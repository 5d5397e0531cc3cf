/**
 * The two routers the nodes announce to, BIRD and FRR, each in its own namespace on the bridge:
 * AS 65000, an eBGP neighbour per node that waits for the node to dial, and multipath so each keeps
 * and installs one path per node. Read through the daemon drivers' RIB readers, and FRR's own
 * session counters to tell a session that stayed up from one that was reset.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bird } from '../daemons/bird.ts';
import type { DaemonInstance, RouterConfig } from '../daemons/config.ts';
import { frr } from '../daemons/frr.ts';
import type { Lab } from '../interop/lab.ts';
import { run } from '../netns/exec.ts';

export const ROUTER_AS = 65000;

/** Routers' members on the lab bridge; the first also holds the bridge. */
export const BIRD_MEMBER = 1;
export const FRR_MEMBER = 2;

export interface Router {
  name: 'bird' | 'frr';
  address: string;
  daemon: DaemonInstance;
}

/** FRR's count of a session's establishments and drops: unchanged counts mean the session never reset. */
export interface SessionCounters {
  state: string;
  established: number;
  dropped: number;
}

export interface Routers {
  bird: Router;
  frr: Router;
  /** FRR's counters per neighbour address. */
  frrSessions(): Promise<Record<string, SessionCounters>>;
}

function routerConfig(address: string, nodeAs: number, nodes: string[]): RouterConfig {
  return {
    routerId: address,
    asn: ROUTER_AS,
    multipath: 8,
    neighbors: nodes.map((node) => ({
      address: node,
      asn: nodeAs,
      localAddress: address,
      localIpv4: address,
      families: ['ipv4-unicast'],
      passive: true,
      holdTime: 9,
    })),
    routes: [],
  };
}

/** Starts BIRD (making the bridge) and FRR in namespaces of their own, neighbours of every node address. */
export async function startRouters(lab: Lab, nodeAs: number, nodes: string[]): Promise<Routers> {
  const birdNs = await lab.namespace('bird');
  const frrNs = await lab.namespace('frr');
  const birdAddress = (await lab.bridge(birdNs, BIRD_MEMBER)).ipv4;
  const frrAddress = (await lab.onBridge(frrNs, FRR_MEMBER)).ipv4;
  const [birdDaemon, frrDaemon] = await Promise.all([
    lab.daemon(bird, birdNs, routerConfig(birdAddress, nodeAs, nodes)),
    lab.daemon(frr, frrNs, routerConfig(frrAddress, nodeAs, nodes)),
  ]);
  // The FRR driver runs bgpd with its vty socket in the work directory the lab made for it.
  const frrDir = readdirSync(lab.workDir).find((entry) => entry.startsWith('frr-'));
  if (frrDir === undefined) throw new Error(`no FRR work directory in ${lab.workDir}`);
  const vtySocket = join(lab.workDir, frrDir);
  return {
    bird: { name: 'bird', address: birdAddress, daemon: birdDaemon },
    frr: { name: 'frr', address: frrAddress, daemon: frrDaemon },
    frrSessions: () => frrSessionCounters(vtySocket),
  };
}

interface FrrNeighbor {
  bgpState?: string;
  connectionsEstablished?: number;
  connectionsDropped?: number;
}

async function frrSessionCounters(vtySocket: string): Promise<Record<string, SessionCounters>> {
  const out = (await run('vtysh', ['--vty_socket', vtySocket, '-d', 'bgpd', '-c', 'show bgp neighbors json'])).stdout;
  const neighbors = JSON.parse(out) as Record<string, FrrNeighbor>;
  return Object.fromEntries(
    Object.entries(neighbors).map(([address, n]) => [
      address,
      { state: n.bgpState ?? 'unknown', established: n.connectionsEstablished ?? 0, dropped: n.connectionsDropped ?? 0 },
    ]),
  );
}

/** The next hops of the paths a router received for `prefix`, one per path, sorted. */
export async function receivedNextHops(router: Router, prefix: string): Promise<string[]> {
  const paths = await router.daemon.rib('ipv4-unicast');
  return paths
    .filter((path) => path.prefix === prefix && path.peer !== undefined)
    .flatMap((path) => path.nextHops)
    .sort();
}

/** The communities of each path a router received for `prefix`, by next hop. */
export async function receivedCommunities(router: Router, prefix: string): Promise<Record<string, string[]>> {
  const paths = await router.daemon.rib('ipv4-unicast');
  return Object.fromEntries(
    paths.filter((path) => path.prefix === prefix && path.peer !== undefined).map((path) => [path.nextHops.join(','), path.communities]),
  );
}
