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
      log,
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
  for (const n of config.neighbors) lines.push(...neighborBlock(n));
  // Filters deny by default: announce everything, accept nothing.
  lines.push('allow to any', 'deny from any');
  for (const n of config.neighbors) lines.push(...nextHopRules(n));
  return `${lines.join('\n')}\n`;
}

function neighborBlock(n: NeighborConfig): string[] {
  const lines = [`neighbor ${n.address} {`, `  remote-as ${n.asn}`, `  local-address ${n.localAddress}`];
  if (n.passive) lines.push('  passive');
  if (n.localIpv4 || n.localIpv6) lines.push('  multihop 2');
  if (n.holdTime !== undefined) lines.push(`  holdtime ${n.holdTime}`);
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
