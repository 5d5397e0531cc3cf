/**
 * BIRD 2: one static protocol per family and path group (BIRD keeps one route per prefix and
 * protocol, so several paths for a prefix need several sources), one BGP protocol per neighbour.
 * Run in the foreground (`-f`) so the pid is BIRD's; controlled with `birdc` over its socket.
 */
import { writeFileSync } from 'node:fs';
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
  pathGroups,
  routesOf,
} from './config.ts';
import { abandon, readLog } from './log.ts';
import { type RibPath, emptyPath, extendedCommunityOctets, extendedCommunityText, originOf } from './rib.ts';

const ORIGIN = { igp: 'ORIGIN_IGP', egp: 'ORIGIN_EGP', incomplete: 'ORIGIN_INCOMPLETE' } as const;
const ADD_PATHS = { send: 'tx', receive: 'rx', both: 'on' } as const;

export const bird: DaemonDriver = {
  name: 'bird',
  limits: ['asSet (filters cannot build an AS_SET)', 'nextHop (eBGP always uses its own address)'],
  async start(namespace, workDir, config) {
    const configFile = join(workDir, 'bird.conf');
    const socket = join(workDir, 'bird.ctl');
    const logFile = join(workDir, 'bird.log');
    writeFileSync(configFile, renderBirdConfig(config, new Set(), logFile));
    const version = /version (\S+)/.exec((await run('bird', ['--version'])).stderr)?.[1] ?? 'unknown';
    const proc = spawnIn(namespace, 'bird', ['-f', '-c', configFile, '-s', socket, '-P', join(workDir, 'bird.pid')], {
      logFile: join(workDir, 'bird.out'),
    });
    const birdc = (...args: string[]) => run('birdc', ['-s', socket, ...args]);
    const log = () => readLog(join(workDir, 'bird.out'), logFile);
    await until('BIRD control socket', async () => /Daemon is up/.test((await birdc('show', 'status')).stdout), 10_000).catch(
      (error) => abandon(proc, error, log),
    );
    const withdrawn = new Set<string>();
    const instance: DaemonInstance = {
      name: 'bird',
      version,
      pid: proc.pid,
      async withdraw(prefixes) {
        for (const prefix of prefixes) withdrawn.add(prefix);
        // Only the static protocols change, so BIRD reconfigures them in place and the sessions stay up.
        writeFileSync(configFile, renderBirdConfig(config, withdrawn, logFile));
        const reply = (await birdc('configure')).stdout;
        if (!/Reconfigured/.test(reply)) throw new Error(`birdc configure: ${reply}`);
      },
      async shutdown(neighbor, message) {
        // RFC 9003 shutdown communication: `disable <protocol> "<message>"`.
        await birdc('disable', protocolName(config, neighbor), `"${message}"`);
      },
      stop: () => proc.stop(),
      signal: (signal) => process.kill(-proc.pid, signal),
      log,
      async rib(family) {
        const table = family === 'ipv4-unicast' ? 'master4' : 'master6';
        return parseBirdRoutes((await birdc('show', 'route', 'all', 'table', table)).stdout, config);
      },
      async multipathNextHops(prefix) {
        // BIRD merges equal paths into one route on export to the kernel (`merge paths`): read the
        // route it installed in its namespace's FIB.
        const out = (await run('ip', ['-n', namespace, isIpv6(prefix) ? '-6' : '-4', '-j', 'route', 'show', prefix])).stdout;
        const routes = JSON.parse(out || '[]') as { gateway?: string; nexthops?: { gateway: string }[] }[];
        return routes.flatMap((r) => r.nexthops?.map((n) => n.gateway) ?? (r.gateway ? [r.gateway] : []));
      },
    };
    return instance;
  },
};

/** The BIRD configuration for a router, leaving out the routes whose prefix is in `withdrawn`. */
export function renderBirdConfig(config: RouterConfig, withdrawn: Set<string>, logFile: string): string {
  const lines = [`log "${logFile}" all;`, `router id ${config.routerId};`, 'protocol device {}', ''];
  if (config.multipath) {
    // Equal paths become one route of several next hops only on export to the kernel (BIRD keeps one
    // route per source in its tables); the kernel is the daemon's own namespace's.
    for (const channel of ['ipv4', 'ipv6']) lines.push(`protocol kernel kernel${channel.slice(3)} {`, `  ${channel} { export all; };`, `  merge paths on limit ${config.multipath};`, '}', '');
  }
  for (const [family, channel] of [['ipv4-unicast', 'ipv4'], ['ipv6-unicast', 'ipv6']] as const) {
    pathGroups(routesOf(config, family)).forEach((group, index) => {
      lines.push(`protocol static static_${channel}_${index} {`, `  ${channel};`);
      for (const route of group.filter((r) => !withdrawn.has(r.prefix))) lines.push(`  ${staticRoute(route)}`);
      lines.push('}', '');
    });
  }
  config.neighbors.forEach((neighbor, index) => lines.push(...bgpProtocol(config, neighbor, index), ''));
  return lines.join('\n');
}

function staticRoute(route: RouteSpec): string {
  const statements: string[] = [];
  if (route.origin) statements.push(`bgp_origin = ${ORIGIN[route.origin]};`);
  // prepend() puts one AS in front, so the list goes in back to front to read in order on the wire.
  for (const asn of [...(route.asPathPrepend ?? [])].reverse()) statements.push(`bgp_path.prepend(${asn});`);
  if (route.med !== undefined) statements.push(`bgp_med = ${route.med};`);
  if (route.localPref !== undefined) statements.push(`bgp_local_pref = ${route.localPref};`);
  for (const c of route.communities ?? []) statements.push(`bgp_community.add((${c.replace(':', ',')}));`);
  for (const c of route.largeCommunities ?? []) statements.push(`bgp_large_community.add((${c.split(':').join(',')}));`);
  for (const c of route.extendedCommunities ?? []) {
    if (c.type === 'route-target') {
      const [global, local] = splitLast(c.value);
      statements.push(`bgp_ext_community.add((rt, ${global}, ${local}));`);
    } else {
      // Link bandwidth: type 0x40 (0x00 when transitive), subtype 0x04, 2-octet AS, IEEE float32.
      const high = (((c.transitive ? 0x0004 : 0x4004) << 16) | (c.asn & 0xffff)) >>> 0;
      statements.push(`bgp_ext_community.add((generic, 0x${high.toString(16)}, 0x${float32Bits(c.bytesPerSecond).toString(16)}));`);
    }
  }
  return `route ${route.prefix} blackhole${statements.length ? ` { ${statements.join(' ')} }` : ''};`;
}

function bgpProtocol(config: RouterConfig, neighbor: NeighborConfig, index: number): string[] {
  const lines = [
    `protocol bgp ${protocolName(config, neighbor.address, index)} {`,
    `  local ${neighbor.localAddress} as ${config.asn};`,
    `  neighbor ${neighbor.address} as ${neighbor.asn};`,
  ];
  if (neighbor.passive) lines.push('  passive on;');
  if (neighbor.holdTime !== undefined) lines.push(`  hold time ${neighbor.holdTime};`);
  if (neighbor.extendedMessage) lines.push('  enable extended messages on;');
  if (neighbor.gracefulRestart) lines.push('  graceful restart on;', `  graceful restart time ${neighbor.restartTime ?? 120};`);
  if (neighbor.rrClient) lines.push('  rr client;');
  // iBGP is multihop by default, its next hops resolved through an IGP; here the neighbours share the link.
  if (neighbor.asn === config.asn) lines.push('  direct;');
  if (config.clusterId && neighbor.asn === config.asn) lines.push(`  rr cluster id ${config.clusterId};`);
  if (neighbor.connectRetry !== undefined) lines.push(`  connect retry time ${neighbor.connectRetry};`);
  for (const family of neighbor.families) {
    const channel = family === 'ipv4-unicast' ? 'ipv4' : 'ipv6';
    const options = ['import all;', exportFilter(routesOf(config, family))];
    if (neighbor.addPath) options.push(`add paths ${ADD_PATHS[neighbor.addPath]};`);
    if (family === 'ipv4-unicast' && neighbor.extendedNextHop) options.push('extended next hop on;');
    const nextHop = nextHopAddress(neighbor, family);
    if (nextHop) options.push(`next hop address ${nextHop};`);
    lines.push(`  ${channel} { ${options.join(' ')} };`);
  }
  lines.push('}');
  return lines;
}

/**
 * BIRD sends MED to an eBGP neighbour only when the export filter set it (a MED that came with the
 * route is dropped, RFC 4271 section 5.1.4), so the filter sets each route's MED again.
 */
function exportFilter(routes: RouteSpec[]): string {
  const withMed = routes.filter((r) => r.med !== undefined);
  if (!withMed.length) return 'export all;';
  const statements = withMed.map((r) => `if net = ${r.prefix} then bgp_med = ${r.med};`);
  return `export filter { ${statements.join(' ')} accept; };`;
}

/**
 * A next hop of another family than the session's must be spelled out: BIRD takes its own address
 * of the session's family otherwise.
 */
function nextHopAddress(neighbor: NeighborConfig, family: 'ipv4-unicast' | 'ipv6-unicast'): string | undefined {
  const wantsIpv6 = family === 'ipv6-unicast' || Boolean(neighbor.extendedNextHop);
  if (wantsIpv6 === isIpv6(neighbor.address)) return undefined;
  return wantsIpv6 ? neighbor.localIpv6 : neighbor.localIpv4;
}

function protocolName(config: RouterConfig, neighborAddress: string, index?: number): string {
  const at = index ?? config.neighbors.findIndex((n) => n.address === neighborAddress);
  if (at < 0) throw new Error(`no neighbour ${neighborAddress}`);
  return `peer_${at}`;
}

function splitLast(value: string): [string, string] {
  const at = value.lastIndexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}

/** The IEEE 754 single-precision bits of a number. */
function float32Bits(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
}

/**
 * Reads `birdc show route all`: a route line (`<prefix> <type> [<protocol> <time>...] * (pref) ...`,
 * the prefix left blank for further routes of the same prefix), then its `via` lines and attributes.
 */
export function parseBirdRoutes(text: string, config: RouterConfig): RibPath[] {
  const paths: RibPath[] = [];
  let prefix = '';
  let current: RibPath | undefined;
  for (const line of text.split('\n')) {
    const route = /^(\S+)?\s+(?:unicast|blackhole|unreachable|prohibited)\s+\[(\S+)[^\]]*\]\s*(\*)?/.exec(line);
    if (route && !line.startsWith('\t') && !/^Table /.test(line)) {
      if (route[1]) prefix = route[1];
      current = { ...emptyPath(prefix), best: route[3] === '*' };
      const peer = /^peer_(\d+)$/.exec(route[2]);
      if (peer) current.peer = config.neighbors[Number(peer[1])]?.address;
      paths.push(current);
      continue;
    }
    if (!current) continue;
    const via = /^\s+via (\S+)/.exec(line);
    if (via) current.nextHops.push(via[1]);
    const attribute = /^\s+BGP\.(\w+): (.*)$/.exec(line);
    if (attribute) readAttribute(current, attribute[1], attribute[2].trim());
    if (/^\s+Type: .*\bstale\b/.test(line)) current.stale = true;
  }
  return paths;
}

function readAttribute(path: RibPath, name: string, value: string): void {
  const pairs = (open: string) => [...value.matchAll(new RegExp(`\\${open}([^)]*)\\)`, 'g'))].map((m) => m[1].split(',').map((s) => s.trim()));
  switch (name) {
    case 'origin':
      path.origin = originOf(value);
      break;
    case 'as_path':
      path.asPath = value.split(/[\s{},]+/).filter(Boolean).map(Number);
      break;
    case 'next_hop':
      // The BGP next hop (global and link-local for IPv6); the `via` lines hold the resolved ones.
      if (!path.nextHops.length) path.nextHops.push(value.split(' ')[0]);
      break;
    case 'med':
      path.med = Number(value);
      break;
    case 'local_pref':
      path.localPref = Number(value);
      break;
    case 'originator_id':
      path.originatorId = value;
      break;
    case 'cluster_list':
      path.clusterList = value.split(/\s+/).filter(Boolean);
      break;
    case 'community':
      path.communities = pairs('(').map(([high, low]) => `${high}:${low}`);
      break;
    case 'large_community':
      path.largeCommunities = pairs('(').map((parts) => parts.join(':'));
      break;
    case 'ext_community':
      path.extendedCommunities = pairs('(').map(birdExtendedCommunity);
      break;
  }
}

/** `(rt, 65000, 100)`, `(unknown 0x4, 65010, 1262402592)`, `(generic, 0x40040000, 0x4b3ebc20)`. */
function birdExtendedCommunity([kind, a, b]: string[]): string {
  if (kind === 'rt') return `rt:${a}:${b}`;
  if (kind === 'generic') return extendedCommunityText(extendedCommunityOctets(Number(a) >>> 16, Number(a) & 0xffff, Number(b)));
  const unknown = /^unknown (0x[0-9a-f]+)$/.exec(kind);
  if (unknown) return extendedCommunityText(extendedCommunityOctets(Number(unknown[1]), Number(a), Number(b)));
  return `${kind}:${a}:${b}`;
}
