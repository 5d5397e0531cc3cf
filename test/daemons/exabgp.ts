/**
 * ExaBGP: `exabgp CONF` in the foreground, routes in a `static` block, and an API process that is
 * `cat` of a FIFO this module writes to, so withdrawals and the teardown are API commands
 * ("withdraw route …", "neighbor X teardown 2"). ExaBGP sends every attribute as given: on eBGP its
 * own AS is put at the front of the path here, as other daemons do by themselves.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
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

const ADD_PATH = { send: 'send', receive: 'receive', both: 'send/receive' } as const;

export const exabgp: DaemonDriver = {
  name: 'exabgp',
  limits: ['shutdown message (teardown sends its own fixed RFC 9003 text)'],
  async start(namespace, workDir, config) {
    const configFile = join(workDir, 'exabgp.conf');
    const fifo = join(workDir, 'api.fifo');
    const logFile = join(workDir, 'exabgp.log');
    execFileSync('mkfifo', [fifo]);
    // Opened read-write so the open does not wait for the reader, and kept open so `cat` never sees EOF.
    const api = openSync(fifo, 'r+');
    writeFileSync(configFile, renderExabgpConfig(config, fifo));
    const version = /ExaBGP : (\S+)/.exec((await run('exabgp', ['--version'])).stdout)?.[1] ?? 'unknown';
    const env = {
      ...process.env,
      exabgp_daemon_user: 'root',
      exabgp_daemon_drop: 'false',
      exabgp_api_cli: 'false',
      exabgp_log_destination: 'stdout',
    };
    const proc = spawnIn(namespace, 'exabgp', [configFile], { logFile, env });
    const log = () => readLog(logFile);
    await until('the configuration loaded', async () => /loaded new configuration successfully/.test(log()), 10_000).catch((error) => {
      closeSync(api);
      return abandon(proc, error, log);
    });
    const send = (command: string) => writeSync(api, `${command}\n`);
    const instance: DaemonInstance = {
      name: 'exabgp',
      version,
      pid: proc.pid,
      async withdraw(prefixes) {
        for (const neighbor of config.neighbors) {
          for (const route of config.routes.filter((r) => prefixes.includes(r.prefix))) {
            send(`neighbor ${neighbor.address} withdraw route ${route.prefix}${pathInformation(route, neighbor)} next-hop ${nextHop(route, neighbor)}`);
          }
        }
      },
      async shutdown(neighbor) {
        // Cease subcode 2; ExaBGP writes its own text ("Administrative Shutdown") as the RFC 9003 message.
        send(`neighbor ${neighbor} teardown 2`);
      },
      async stop() {
        await proc.stop();
        closeSync(api);
      },
      log,
    };
    return instance;
  },
};

/** The ExaBGP configuration: one API process reading the FIFO, and each neighbour with its routes. */
export function renderExabgpConfig(config: RouterConfig, fifo: string): string {
  const lines = ['process porter-api {', `  run /bin/cat ${fifo};`, '  encoder text;', '}', ''];
  for (const n of config.neighbors) {
    lines.push(
      `neighbor ${n.address} {`,
      `  router-id ${config.routerId};`,
      `  local-address ${n.localAddress};`,
      `  local-as ${config.asn};`,
      `  peer-as ${n.asn};`,
      `  hold-time ${n.holdTime ?? 90};`,
    );
    if (n.passive) lines.push('  passive true;', '  listen 179;');
    lines.push('  capability {', '    asn4 enable;', '    route-refresh enable;');
    if (n.gracefulRestart) lines.push('    graceful-restart 120;');
    if (n.addPath) lines.push(`    add-path ${ADD_PATH[n.addPath]};`);
    if (n.extendedMessage) lines.push('    extended-message enable;');
    if (n.extendedNextHop) lines.push('    nexthop enable;');
    lines.push('  }', '  family {');
    for (const family of n.families) lines.push(`    ${family === 'ipv4-unicast' ? 'ipv4' : 'ipv6'} unicast;`);
    lines.push('  }');
    if (n.extendedNextHop) lines.push('  nexthop {', '    ipv4 unicast ipv6;', '  }');
    lines.push('  api {', '    processes [ porter-api ];', '  }', '  static {');
    for (const route of config.routes) lines.push(`    route ${routeText(route, config, n)};`);
    lines.push('  }', '}', '');
  }
  return `${lines.join('\n')}\n`;
}

function routeText(route: RouteSpec, config: RouterConfig, n: NeighborConfig): string {
  const parts = [route.prefix, `next-hop ${nextHop(route, n)}`];
  if (route.origin) parts.push(`origin ${route.origin}`);
  const ebgp = n.asn !== config.asn;
  const path = [...(ebgp ? [config.asn] : []), ...(route.asPathPrepend ?? [])].map(String);
  if (route.asSet?.length) path.push(`( ${route.asSet.join(' ')} )`);
  if (path.length) parts.push(`as-path [ ${path.join(' ')} ]`);
  if (route.med !== undefined) parts.push(`med ${route.med}`);
  // LOCAL_PREF belongs to iBGP only (RFC 4271 section 5.1.5); ExaBGP would send it on eBGP too.
  if (route.localPref !== undefined && !ebgp) parts.push(`local-preference ${route.localPref}`);
  if (route.communities?.length) parts.push(`community [ ${route.communities.join(' ')} ]`);
  if (route.largeCommunities?.length) parts.push(`large-community [ ${route.largeCommunities.join(' ')} ]`);
  if (route.extendedCommunities?.length) parts.push(`extended-community [ ${route.extendedCommunities.map(extendedCommunity).join(' ')} ]`);
  return parts.join(' ') + pathInformation(route, n);
}

function extendedCommunity(c: NonNullable<RouteSpec['extendedCommunities']>[number]): string {
  if (c.type === 'route-target') return `target:${c.value}`;
  if (!c.transitive) return `bandwidth:${c.asn}:${c.bytesPerSecond}`;
  // ExaBGP names only the non-transitive form; the transitive one (type 0x00) is given as raw octets.
  const raw = Buffer.alloc(8);
  raw.writeUInt16BE(0x0004, 0);
  raw.writeUInt16BE(c.asn & 0xffff, 2);
  raw.writeFloatBE(c.bytesPerSecond, 4);
  return `0x${raw.toString('hex')}`;
}

function nextHop(route: RouteSpec, n: NeighborConfig): string {
  if (route.nextHop) return route.nextHop;
  const wantsIpv6 = isIpv6(route.prefix) || Boolean(n.extendedNextHop);
  const address = wantsIpv6 ? n.localIpv6 : n.localIpv4;
  return address ?? n.localAddress;
}

/** ADD-PATH identifier of a route, when the session sends them (RFC 7911); the first path is 1. */
function pathInformation(route: RouteSpec, n: NeighborConfig): string {
  return n.addPath === 'send' || n.addPath === 'both' ? ` path-information ${route.pathId ?? 1}` : '';
}
