/**
 * FRR: bgpd alone, without zebra (`-Z`), in the foreground so the pid is its own, controlled with
 * vtysh over a private socket directory. Each route is a `network` statement with a route-map that
 * sets its attributes; `no bgp network import-check` lets the networks exist without a RIB.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../netns/exec.ts';
import { spawnIn } from '../netns/process.ts';
import { until } from '../netns/wait.ts';
import {
  type DaemonDriver,
  type DaemonInstance,
  type NeighborConfig,
  type RouteSpec,
  type RouterConfig,
  isIpv6,
  routesOf,
} from './config.ts';
import { abandon, readLog } from './log.ts';
import { type RibPath, emptyPath, originOf } from './rib.ts';

const BGPD = '/usr/lib/frr/bgpd';
const AFI = { 'ipv4-unicast': 'ipv4', 'ipv6-unicast': 'ipv6' } as const;

export const frr: DaemonDriver = {
  name: 'frr',
  limits: [
    'asSet (route-maps cannot build an AS_SET)',
    'several paths per prefix (one network statement is one path)',
    'nextHop',
  ],
  async start(namespace, workDir, config) {
    // bgpd drops to the frr user; it must be able to write its pid, log and socket here.
    chmodSync(workDir, 0o777);
    const configFile = join(workDir, 'bgpd.conf');
    const logFile = join(workDir, 'bgpd.log');
    writeFileSync(configFile, renderFrrConfig(config, logFile));
    const version = /version (\S+)/.exec((await run(BGPD, ['--version'])).stdout)?.[1] ?? 'unknown';
    const proc = spawnIn(
      namespace,
      BGPD,
      ['-Z', '-n', '-S', '-f', configFile, '-i', join(workDir, 'bgpd.pid'), '--vty_socket', workDir, '-P', '0'],
      { logFile: join(workDir, 'bgpd.out') },
    );
    const vtysh = (...commands: string[]) =>
      run('vtysh', ['--vty_socket', workDir, '-d', 'bgpd', ...commands.flatMap((c) => ['-c', c])]);
    // Networks enter the table a moment after start; a session up before that gets End-of-RIB first
    // and the routes after it, so the daemon counts as started once every prefix is in the table.
    const prefixes = new Set(config.routes.map((r) => r.prefix)).size;
    const log = () => readLog(join(workDir, 'bgpd.out'), logFile);
    await until('every network in the BGP table', async () => (await tableSize(vtysh)) >= prefixes, 10_000).catch((error) =>
      abandon(proc, error, log),
    );
    const configure = (...commands: string[]) => vtysh('configure terminal', `router bgp ${config.asn}`, ...commands);
    const instance: DaemonInstance = {
      name: 'frr',
      version,
      pid: proc.pid,
      async withdraw(prefixes) {
        for (const prefix of prefixes) {
          await configure(`address-family ${isIpv6(prefix) ? 'ipv6' : 'ipv4'} unicast`, `no network ${prefix}`);
        }
      },
      async shutdown(neighbor, message) {
        // RFC 9003 shutdown communication.
        await configure(`neighbor ${neighbor} shutdown message ${message}`);
      },
      stop: () => proc.stop(),
      signal: (signal) => process.kill(-proc.pid, signal),
      log,
      async rib(family) {
        return parseFrrTable((await vtysh(`show bgp ${AFI[family]} unicast json detail`)).stdout);
      },
      async multipathNextHops(prefix) {
        // Without zebra nothing is installed: the multipath set is the best path and the paths flagged multipath.
        const paths = parseFrrTable((await vtysh(`show bgp ${isIpv6(prefix) ? 'ipv6' : 'ipv4'} unicast json detail`)).stdout);
        return paths.filter((p) => p.prefix === prefix && (p.best || p.multipath)).flatMap((p) => p.nextHops);
      },
    };
    return instance;
  },
};

/** The bgpd configuration for a router. */
export function renderFrrConfig(config: RouterConfig, logFile: string): string {
  const lines = [
    'frr defaults traditional',
    // The hostname capability (draft-walton-bgp-hostname) carries this instead of the machine's name.
    'hostname frr',
    `log file ${logFile} informational`,
    // Networks with a route-map wait for the route-map timer (5 s by default) before they enter the table.
    'bgp route-map delay-timer 1',
    '!',
    `router bgp ${config.asn}`,
  ];
  lines.push(
    ` bgp router-id ${config.routerId}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ' no bgp network import-check',
  );
  if (config.clusterId) lines.push(` bgp cluster-id ${config.clusterId}`);
  const restartTime = config.neighbors.find((n) => n.gracefulRestart)?.restartTime;
  if (restartTime !== undefined) lines.push(` bgp graceful-restart restart-time ${restartTime}`);
  for (const n of config.neighbors) lines.push(...neighborLines(n));
  const routeMaps: string[] = [];
  const seen = new Set<string>();
  for (const family of ['ipv4-unicast', 'ipv6-unicast'] as const) {
    const neighbors = config.neighbors.filter((n) => n.families.includes(family));
    const routes = routesOf(config, family);
    if (!neighbors.length && !routes.length) continue;
    lines.push(` address-family ${AFI[family]} unicast`);
    for (const route of routes) {
      // One network statement per prefix: a second path of the same prefix cannot be expressed.
      if (seen.has(route.prefix)) continue;
      seen.add(route.prefix);
      const name = `ROUTE-${seen.size}`;
      lines.push(`  network ${route.prefix} route-map ${name}`);
      routeMaps.push(...routeMap(name, route));
    }
    if (config.multipath) lines.push(`  maximum-paths ${config.multipath}`, `  maximum-paths ibgp ${config.multipath}`);
    for (const n of neighbors) {
      lines.push(`  neighbor ${n.address} activate`);
      if (n.rrClient) lines.push(`  neighbor ${n.address} route-reflector-client`);
      if (n.addPath === 'send' || n.addPath === 'both') lines.push(`  neighbor ${n.address} addpath-tx-all-paths`);
      const nextHop = outboundNextHop(n, family);
      if (nextHop) {
        const name = `NEXT-HOP-${AFI[family]}-${n.address}`;
        lines.push(`  neighbor ${n.address} route-map ${name} out`);
        routeMaps.push(`route-map ${name} permit 10`, ` set ${nextHop}`, '!');
      }
    }
    lines.push(' exit-address-family');
  }
  lines.push('!', ...routeMaps, 'line vty', '!');
  return `${lines.join('\n')}\n`;
}

function neighborLines(n: NeighborConfig): string[] {
  const lines = [` neighbor ${n.address} remote-as ${n.asn}`, ` neighbor ${n.address} update-source ${n.localAddress}`];
  if (n.passive) lines.push(` neighbor ${n.address} passive`);
  if (n.holdTime !== undefined) lines.push(` neighbor ${n.address} timers ${Math.floor(n.holdTime / 3)} ${n.holdTime}`);
  if (n.extendedNextHop) lines.push(` neighbor ${n.address} capability extended-nexthop`);
  if (n.gracefulRestart) lines.push(` neighbor ${n.address} graceful-restart`);
  if (n.connectRetry !== undefined) lines.push(` neighbor ${n.address} timers connect ${n.connectRetry}`);
  return lines;
}

/**
 * Without zebra bgpd knows no interface addresses, so a next hop of the other family than the
 * session's must be set by an outbound route-map.
 */
function outboundNextHop(n: NeighborConfig, family: 'ipv4-unicast' | 'ipv6-unicast'): string | undefined {
  const sessionIsIpv6 = isIpv6(n.address);
  if (family === 'ipv6-unicast' && !sessionIsIpv6 && n.localIpv6) return `ipv6 next-hop global ${n.localIpv6}`;
  if (family === 'ipv4-unicast' && sessionIsIpv6 && !n.extendedNextHop && n.localIpv4) return `ip next-hop ${n.localIpv4}`;
  return undefined;
}

function routeMap(name: string, route: RouteSpec): string[] {
  const sets: string[] = [];
  if (route.origin) sets.push(`set origin ${route.origin}`);
  if (route.asPathPrepend?.length) sets.push(`set as-path prepend ${route.asPathPrepend.join(' ')}`);
  if (route.med !== undefined) sets.push(`set metric ${route.med}`);
  if (route.localPref !== undefined) sets.push(`set local-preference ${route.localPref}`);
  if (route.communities?.length) sets.push(`set community ${route.communities.join(' ')}`);
  if (route.largeCommunities?.length) sets.push(`set large-community ${route.largeCommunities.join(' ')}`);
  const targets = (route.extendedCommunities ?? []).flatMap((c) => (c.type === 'route-target' ? [c.value] : []));
  if (targets.length) sets.push(`set extcommunity rt ${targets.join(' ')}`);
  for (const c of route.extendedCommunities ?? []) {
    // FRR takes the bandwidth in Mbit/s and always writes its own AS in it.
    if (c.type === 'link-bandwidth') {
      sets.push(`set extcommunity bandwidth ${Math.round((c.bytesPerSecond * 8) / 1e6)}${c.transitive ? '' : ' non-transitive'}`);
    }
  }
  return [`route-map ${name} permit 10`, ...sets.map((s) => ` ${s}`), '!'];
}

async function tableSize(vtysh: (...commands: string[]) => Promise<{ stdout: string }>): Promise<number> {
  let size = 0;
  for (const afi of ['ipv4', 'ipv6']) {
    const table = JSON.parse((await vtysh(`show bgp ${afi} unicast json`)).stdout) as { routes?: object };
    size += Object.keys(table.routes ?? {}).length;
  }
  return size;
}

interface FrrPath {
  prefix?: string;
  aspath?: { segments?: { list: number[] }[] };
  origin?: string;
  metric?: number;
  locPrf?: number;
  valid?: boolean;
  bestpath?: { overall?: boolean };
  multipath?: boolean;
  stale?: boolean;
  addpathRxId?: number;
  community?: { list?: string[] };
  largeCommunity?: { list?: string[] };
  extendedCommunity?: { string?: string };
  originatorId?: string;
  clusterList?: { list?: string[] };
  nexthops?: { ip: string }[];
  peer?: { peerId?: string };
}

/** Reads `show bgp <afi> unicast json detail`: per prefix, a header entry and then one entry per path. */
export function parseFrrTable(text: string): RibPath[] {
  const table = JSON.parse(text) as { routes?: Record<string, FrrPath[] | { paths: FrrPath[] }> };
  const paths: RibPath[] = [];
  for (const [prefix, entries] of Object.entries(table.routes ?? {})) {
    const list = Array.isArray(entries) ? entries : entries.paths;
    for (const entry of list) {
      if (entry.origin === undefined && entry.nexthops === undefined) continue;
      const path = emptyPath(prefix);
      const peer = entry.peer?.peerId;
      if (peer && peer !== '0.0.0.0' && peer !== '::') path.peer = peer;
      if (entry.addpathRxId !== undefined) path.pathId = entry.addpathRxId;
      path.nextHops = (entry.nexthops ?? []).map((n) => n.ip).filter((ip) => !ip.startsWith('fe80'));
      path.origin = originOf(entry.origin);
      path.asPath = (entry.aspath?.segments ?? []).flatMap((s) => s.list);
      path.med = entry.metric;
      path.localPref = entry.locPrf;
      path.communities = entry.community?.list ?? [];
      path.largeCommunities = entry.largeCommunity?.list ?? [];
      path.extendedCommunities = frrExtendedCommunities(entry.extendedCommunity?.string ?? '');
      if (entry.originatorId) path.originatorId = entry.originatorId;
      if (entry.clusterList?.list) path.clusterList = entry.clusterList.list;
      path.best = Boolean(entry.bestpath?.overall);
      if (entry.multipath) path.multipath = true;
      if (entry.stale) path.stale = true;
      paths.push(path);
    }
  }
  return paths;
}

/** `RT:65000:100 LB:65010:12500000 (100.000 Mbps)`: the bandwidth in bytes per second. */
function frrExtendedCommunities(text: string): string[] {
  const found: string[] = [];
  for (const [, kind, value] of text.matchAll(/\b(RT|LB):(\S+)/g)) found.push(`${kind === 'RT' ? 'rt' : 'lb'}:${value}`);
  return found;
}
