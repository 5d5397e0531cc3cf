/**
 * GoBGP: gobgpd with a TOML file for the neighbours and one global export policy (per-neighbour
 * policies apply only to route-server clients) that adds extended communities, which the CLI
 * cannot set; every other attribute goes with the route when it is added through `gobgp global rib
 * add`, before the peer is let in. The API listens on loopback inside the namespace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runIn } from '../netns/exec.ts';
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
import { type RibPath, emptyPath, extendedCommunityOctets, extendedCommunityText, linkBandwidthText } from './rib.ts';

export const gobgp: DaemonDriver = {
  name: 'gobgp',
  limits: ['extended messages (RFC 8654 is not implemented)', 'transitive link bandwidth (lb: is always non-transitive)'],
  async start(namespace, workDir, config) {
    const configFile = join(workDir, 'gobgpd.toml');
    const logFile = join(workDir, 'gobgpd.log');
    writeFileSync(configFile, renderGobgpConfig(config));
    const version = /version (\S+)/.exec((await run('gobgpd', ['--version'])).stdout)?.[1] ?? 'unknown';
    // gobgpd sends the machine's hostname in the hostname capability: give it its own UTS namespace
    // and name, so the capture does not depend on the machine. `exec` keeps the pid gobgpd's.
    const proc = spawnIn(
      namespace,
      'unshare',
      ['--uts', 'sh', '-c', 'echo gobgp > /proc/sys/kernel/hostname && exec "$@"', 'sh', 'gobgpd', '-f', configFile, '--api-hosts', '127.0.0.1:50051', '--pprof-disable'],
      { logFile },
    );
    const cli = (...args: string[]) => runIn(namespace, 'gobgp', args);
    const log = () => readLog(logFile);
    try {
      await until('gobgpd API', async () => /AS:/.test((await cli('global')).stdout), 10_000);
      for (const route of config.routes) await cli('global', 'rib', 'add', '-a', family(route), ...routeArguments(route));
    } catch (error) {
      await abandon(proc, error, log);
    }
    const instance: DaemonInstance = {
      name: 'gobgp',
      version,
      pid: proc.pid,
      async withdraw(prefixes) {
        for (const route of config.routes.filter((r) => prefixes.includes(r.prefix))) {
          await cli('global', 'rib', 'del', '-a', family(route), route.prefix, ...identifier(route));
        }
      },
      async shutdown(neighbor, message) {
        // `shutdown` sends the RFC 9003 communication; `disable` sends the same Cease without it.
        await cli('neighbor', neighbor, 'shutdown', '--reason', message);
      },
      stop: () => proc.stop(),
      signal: (signal) => process.kill(-proc.pid, signal),
      log,
      async rib(family) {
        return parseGobgpRib((await cli('global', 'rib', '-a', family === 'ipv4-unicast' ? 'ipv4' : 'ipv6', '-j')).stdout);
      },
    };
    return instance;
  },
};

/** The gobgpd configuration: global settings, neighbours, and the export policy. */
export function renderGobgpConfig(config: RouterConfig): string {
  const lines = ['[global.config]', `  as = ${config.asn}`, `  router-id = "${config.routerId}"`, ''];
  const clusterId = config.clusterId;
  const withExtended = config.routes.filter((r) => r.extendedCommunities?.length);
  if (withExtended.length) {
    lines.push('[global.apply-policy.config]', '  export-policy-list = ["extended-communities"]', '  default-export-policy = "accept-route"', '');
  }
  for (const n of config.neighbors) lines.push(...neighborLines(n, clusterId));
  withExtended.forEach((route, index) => {
    const length = route.prefix.split('/')[1];
    lines.push(
      '[[defined-sets.prefix-sets]]',
      `  prefix-set-name = "route-${index}"`,
      '  [[defined-sets.prefix-sets.prefix-list]]',
      `    ip-prefix = "${route.prefix}"`,
      `    masklength-range = "${length}..${length}"`,
      '',
    );
  });
  if (withExtended.length) {
    lines.push('[[policy-definitions]]', '  name = "extended-communities"');
    withExtended.forEach((route, index) => {
      lines.push(
        '  [[policy-definitions.statements]]',
        `    name = "route-${index}"`,
        '    [policy-definitions.statements.conditions.match-prefix-set]',
        `      prefix-set = "route-${index}"`,
        '    [policy-definitions.statements.actions.bgp-actions.set-ext-community]',
        '      options = "add"',
        '      [policy-definitions.statements.actions.bgp-actions.set-ext-community.set-ext-community-method]',
        `        communities-list = [${extendedCommunities(route).map((c) => `"${c}"`).join(', ')}]`,
      );
    });
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function neighborLines(n: NeighborConfig, clusterId: string | undefined): string[] {
  const lines = [
    '[[neighbors]]',
    '  [neighbors.config]',
    `    neighbor-address = "${n.address}"`,
    `    peer-as = ${n.asn}`,
    '  [neighbors.transport.config]',
    `    local-address = "${n.localAddress}"`,
  ];
  if (n.passive) lines.push('    passive-mode = true');
  if (n.holdTime !== undefined || n.connectRetry !== undefined) lines.push('  [neighbors.timers.config]');
  if (n.holdTime !== undefined) lines.push(`    hold-time = ${n.holdTime}`, `    keepalive-interval = ${Math.max(1, Math.floor(n.holdTime / 3))}`);
  if (n.connectRetry !== undefined) lines.push(`    connect-retry = ${n.connectRetry}`);
  // Without graceful restart GoBGP sends no End-of-RIB.
  if (n.gracefulRestart) lines.push('  [neighbors.graceful-restart.config]', '    enabled = true', `    restart-time = ${n.restartTime ?? 120}`);
  if (n.rrClient) {
    lines.push('  [neighbors.route-reflector.config]', '    route-reflector-client = true', `    route-reflector-cluster-id = "${clusterId}"`);
  }
  for (const family of n.families) {
    lines.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', `      afi-safi-name = "${family}"`);
    if (n.gracefulRestart) lines.push('    [neighbors.afi-safis.mp-graceful-restart.config]', '      enabled = true');
    if (n.addPath) {
      lines.push('    [neighbors.afi-safis.add-paths.config]');
      if (n.addPath !== 'receive') lines.push('      send-max = 8');
      if (n.addPath !== 'send') lines.push('      receive = true');
    }
  }
  lines.push('');
  return lines;
}

function routeArguments(route: RouteSpec): string[] {
  const args = [route.prefix, ...identifier(route)];
  // The CLI's default origin is incomplete; IGP is the protocol's usual default for an originated route.
  args.push('origin', route.origin ?? 'igp');
  const path = [...(route.asPathPrepend ?? []), ...(route.asSet?.length ? [`{${route.asSet.join(',')}}`] : [])];
  if (path.length) args.push('aspath', path.join(' '));
  if (route.nextHop) args.push('nexthop', route.nextHop);
  if (route.med !== undefined) args.push('med', String(route.med));
  if (route.localPref !== undefined) args.push('local-pref', String(route.localPref));
  if (route.communities?.length) args.push('community', route.communities.join(','));
  if (route.largeCommunities?.length) args.push('large-community', route.largeCommunities.join(','));
  return args;
}

function extendedCommunities(route: RouteSpec): string[] {
  return (route.extendedCommunities ?? []).map((c) =>
    c.type === 'route-target' ? `rt:${c.value}` : `lb:${c.asn}:${c.bytesPerSecond}`,
  );
}

function identifier(route: RouteSpec): string[] {
  return route.pathId === undefined ? [] : ['identifier', String(route.pathId)];
}

function family(route: RouteSpec): string {
  return isIpv6(route.prefix) ? 'ipv6' : 'ipv4';
}

interface GobgpAttribute {
  type: number;
  value?: unknown;
  as_paths?: { asns: number[] }[];
  nexthop?: string;
  metric?: number;
  communities?: number[];
}

interface GobgpPath {
  nlri: { prefix: string };
  best?: boolean;
  stale?: boolean;
  id?: number;
  'neighbor-ip'?: string;
  attrs: GobgpAttribute[];
}

const GOBGP_ORIGIN = ['igp', 'egp', 'incomplete'] as const;

/** Reads `gobgp global rib -a <afi> -j`: paths by prefix, attributes by type code. */
export function parseGobgpRib(text: string): RibPath[] {
  const table = JSON.parse(text || '{}') as Record<string, GobgpPath[]>;
  const paths: RibPath[] = [];
  for (const [prefix, list] of Object.entries(table)) {
    for (const entry of list) {
      const path = emptyPath(prefix);
      const peer = entry['neighbor-ip'];
      if (peer && peer !== '<nil>' && peer !== '0.0.0.0' && peer !== '::') path.peer = peer;
      if (entry.id) path.pathId = entry.id;
      path.best = Boolean(entry.best);
      if (entry.stale) path.stale = true;
      for (const a of entry.attrs) readGobgpAttribute(path, a);
      paths.push(path);
    }
  }
  return paths;
}

function readGobgpAttribute(path: RibPath, a: GobgpAttribute): void {
  switch (a.type) {
    case 1:
      path.origin = GOBGP_ORIGIN[a.value as number];
      break;
    case 2:
      path.asPath = (a.as_paths ?? []).flatMap((s) => s.asns);
      break;
    case 3:
    case 14:
      if (a.nexthop) path.nextHops = [a.nexthop];
      break;
    case 4:
      path.med = a.metric;
      break;
    case 5:
      path.localPref = a.value as number;
      break;
    case 8:
      path.communities = (a.communities ?? []).map((c) => `${c >>> 16}:${c & 0xffff}`);
      break;
    case 9:
      path.originatorId = a.value as string;
      break;
    case 10:
      path.clusterList = a.value as string[];
      break;
    case 16:
      path.extendedCommunities = (a.value as Record<string, unknown>[]).map(gobgpExtendedCommunity);
      break;
    case 32:
      path.largeCommunities = (a.value as { ASN: number; LocalData1: number; LocalData2: number }[]).map(
        (c) => `${c.ASN}:${c.LocalData1}:${c.LocalData2}`,
      );
      break;
  }
}

function gobgpExtendedCommunity(c: Record<string, unknown>): string {
  const type = c.type as number;
  const subtype = c.subtype as number;
  if (subtype === 4 && (type === 0 || type === 64)) return linkBandwidthText(c.asn as number, c.bandwidth as number);
  if (subtype === 2 && typeof c.value === 'string') return `rt:${c.value}`;
  if (typeof c.value === 'string' && /^\d+:\d+$/.test(c.value)) {
    const [high, low] = c.value.split(':').map(Number);
    return extendedCommunityText(extendedCommunityOctets((type << 8) | subtype, high, low));
  }
  return `raw:${JSON.stringify(c)}`;
}
