/**
 * OpenBGPD: bgpd in the foreground (`-d`) with its own control socket, controlled with bgpctl.
 * Routes are `network` statements with a `set` list; withdrawing rewrites the file without them and
 * reloads. It needs /run/openbgpd, the home and chroot of its unprivileged user.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
} from './config.ts';
import { abandon, readLog } from './log.ts';
import { type RibPath, emptyPath, extendedCommunityOctets, extendedCommunityText, originOf } from './rib.ts';

const CHROOT = '/run/openbgpd';

export const openbgpd: DaemonDriver = {
  name: 'openbgpd',
  limits: [
    'asSet',
    'asPathPrepend other than its own AS (prepend-self only)',
    'link bandwidth extended communities',
    'several paths per prefix (one network statement is one path)',
    'extended next hop (RFC 8950) and extended messages (RFC 8654) are not in 7.7',
  ],
  async start(namespace, workDir, config) {
    mkdirSync(CHROOT, { recursive: true });
    const configFile = join(workDir, 'bgpd.conf');
    const socket = join(workDir, 'bgpd.sock');
    const logFile = join(workDir, 'bgpd.log');
    const withdrawn = new Set<string>();
    writeFileSync(configFile, renderOpenbgpdConfig(config, withdrawn, socket));
    const versionText = await run('bgpd', ['-V']);
    const version = /OpenBGPD (\S+)/.exec(versionText.stdout + versionText.stderr)?.[1] ?? 'unknown';
    const proc = spawnIn(namespace, 'bgpd', ['-d', '-f', configFile], { logFile });
    const bgpctl = (...args: string[]) => run('bgpctl', ['-s', socket, ...args]);
    const prefixes = new Set(config.routes.map((r) => r.prefix)).size;
    const log = () => readLog(logFile);
    await until('every network in the RIB', async () => (await ribSize(bgpctl)) >= prefixes, 10_000).catch((error) =>
      abandon(proc, error, log),
    );
    const instance: DaemonInstance = {
      name: 'openbgpd',
      version,
      pid: proc.pid,
      async withdraw(list) {
        for (const prefix of list) withdrawn.add(prefix);
        writeFileSync(configFile, renderOpenbgpdConfig(config, withdrawn, socket));
        await bgpctl('reload');
      },
      async shutdown(neighbor, message) {
        // Cease, Administrative Shutdown, with the RFC 9003 communication.
        await bgpctl('neighbor', neighbor, 'down', message);
      },
      stop: () => proc.stop(),
      signal: (signal) => process.kill(-proc.pid, signal),
      log,
      async rib(family) {
        const afi = family === 'ipv4-unicast' ? 'inet' : 'inet6';
        return parseOpenbgpdRib((await bgpctl('-j', 'show', 'rib', afi, 'detail')).stdout);
      },
    };
    return instance;
  },
};

/** The bgpd.conf for a router, leaving out the networks whose prefix is in `withdrawn`. */
export function renderOpenbgpdConfig(config: RouterConfig, withdrawn: Set<string>, socket: string): string {
  const lines = [`AS ${config.asn}`, `router-id ${config.routerId}`, 'fib-update no', `socket "${socket}"`, ''];
  const seen = new Set<string>();
  for (const route of config.routes) {
    if (withdrawn.has(route.prefix) || seen.has(route.prefix)) continue;
    seen.add(route.prefix);
    const sets = attributeSets(route, config.asn);
    lines.push(`network ${route.prefix}${sets.length ? ` set { ${sets.join(' ')} }` : ''}`);
  }
  lines.push('');
  for (const n of config.neighbors) lines.push(...neighborBlock(n, config.clusterId));
  // Filters deny by default: announce and accept everything.
  lines.push('allow to any', 'allow from any');
  for (const n of config.neighbors) lines.push(...nextHopRules(n));
  return `${lines.join('\n')}\n`;
}

function neighborBlock(n: NeighborConfig, clusterId: string | undefined): string[] {
  const lines = [`neighbor ${n.address} {`, `  remote-as ${n.asn}`, `  local-address ${n.localAddress}`];
  if (n.passive) lines.push('  passive');
  if (n.localIpv4 || n.localIpv6) lines.push('  multihop 2');
  if (n.holdTime !== undefined) lines.push(`  holdtime ${n.holdTime}`);
  if (n.rrClient) lines.push(`  route-reflector${clusterId ? ` ${clusterId}` : ''}`);
  lines.push(`  announce IPv4 ${n.families.includes('ipv4-unicast') ? 'unicast' : 'none'}`);
  lines.push(`  announce IPv6 ${n.families.includes('ipv6-unicast') ? 'unicast' : 'none'}`);
  if (n.addPath === 'send' || n.addPath === 'both') lines.push('  announce add-path send all');
  if (n.addPath === 'receive' || n.addPath === 'both') lines.push('  announce add-path recv yes');
  lines.push(`  announce restart ${n.gracefulRestart ? 'yes' : 'no'}`);
  lines.push('}', '');
  return lines;
}

/**
 * OpenBGPD on Linux learns no connected networks, so on a directly connected eBGP session it ignores
 * a next hop set by a filter and uses its own address of the session's family, and 127.0.0.1 or ::1
 * for the other family. Declared multihop, with `no-modify`, it sends the addresses set here; a set
 * next hop applies only to routes of its own family.
 */
function nextHopRules(n: NeighborConfig): string[] {
  const rules = [n.localIpv4, n.localIpv6].flatMap((address) => (address ? [`match to ${n.address} set nexthop ${address}`] : []));
  return rules.length ? [...rules, `match to ${n.address} set nexthop no-modify`] : [];
}

function attributeSets(route: RouteSpec, ownAs: number): string[] {
  const sets: string[] = [];
  if (route.origin) sets.push(`origin ${route.origin}`);
  const prepend = route.asPathPrepend ?? [];
  if (prepend.length && prepend.every((asn) => asn === ownAs)) sets.push(`prepend-self ${prepend.length}`);
  if (route.med !== undefined) sets.push(`med ${route.med}`);
  if (route.localPref !== undefined) sets.push(`localpref ${route.localPref}`);
  for (const c of route.communities ?? []) sets.push(`community ${c}`);
  for (const c of route.largeCommunities ?? []) sets.push(`large-community ${c}`);
  for (const c of route.extendedCommunities ?? []) {
    if (c.type === 'route-target') sets.push(`ext-community rt ${c.value}`);
  }
  if (route.nextHop) sets.push(`nexthop ${route.nextHop}`);
  return sets;
}

async function ribSize(bgpctl: (...args: string[]) => Promise<{ stdout: string }>): Promise<number> {
  const out = (await bgpctl('show', 'rib')).stdout;
  return out.split('\n').filter((line) => /\s[0-9a-f.:]+\/\d+\s/.test(line)).length;
}

interface OpenbgpdPath {
  prefix: string;
  aspath?: string;
  exit_nexthop?: string;
  neighbor?: { remote_addr?: string };
  best?: boolean;
  ecmp?: boolean;
  stale?: boolean;
  source?: string;
  origin?: string;
  metric?: number;
  localpref?: number;
  path_id?: number;
  communities?: string[];
  extended_communities?: string[];
  large_communities?: string[];
  originator_id?: string;
  cluster_list?: string[];
}

/** Reads `bgpctl -j show rib <afi> detail`. */
export function parseOpenbgpdRib(text: string): RibPath[] {
  const table = JSON.parse(text || '{}') as { rib?: OpenbgpdPath[] };
  return (table.rib ?? []).map((entry) => {
    const path = emptyPath(entry.prefix);
    const peer = entry.neighbor?.remote_addr;
    if (entry.source !== 'local' && peer && !/^(0\.0\.0\.0|::|local)$/i.test(peer)) path.peer = peer;
    if (entry.path_id !== undefined) path.pathId = entry.path_id;
    if (entry.exit_nexthop) path.nextHops = [entry.exit_nexthop];
    path.origin = originOf(entry.origin);
    path.asPath = (entry.aspath ?? '').split(/[\s{}(),]+/).filter((s) => /^\d+$/.test(s)).map(Number);
    path.med = entry.metric;
    path.localPref = entry.localpref;
    path.communities = entry.communities ?? [];
    path.largeCommunities = entry.large_communities ?? [];
    path.extendedCommunities = (entry.extended_communities ?? []).map(openbgpdExtendedCommunity);
    if (entry.originator_id) path.originatorId = entry.originator_id;
    if (entry.cluster_list) path.clusterList = entry.cluster_list;
    path.best = Boolean(entry.best);
    if (entry.ecmp) path.multipath = true;
    if (entry.stale) path.stale = true;
    return path;
  });
}

/** `rt 65000:100`, or `[4] 65010:1262402592` for a subtype bgpctl has no name for (type 0x00). */
function openbgpdExtendedCommunity(text: string): string {
  const named = /^rt (\S+)$/.exec(text);
  if (named) return `rt:${named[1]}`;
  const unnamed = /^\[(\d+)\] (\d+):(\d+)$/.exec(text);
  if (unnamed) return extendedCommunityText(extendedCommunityOctets(Number(unnamed[1]), Number(unnamed[2]), Number(unnamed[3])));
  return `raw:${text}`;
}
