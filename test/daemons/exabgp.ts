/**
 * ExaBGP: `exabgp CONF` in the foreground, routes in a `static` block, and an API process that is
 * `cat` of a FIFO this module writes to, so withdrawals and the teardown are API commands
 * ("withdraw route …", "neighbor X teardown 2"). ExaBGP sends every attribute as given: on eBGP its
 * own AS is put at the front of the path here, as other daemons do by themselves.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
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
import { type RibPath, emptyPath, extendedCommunityText, originOf } from './rib.ts';

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
    // A second API process receives every UPDATE as JSON and appends it to a file: the RIB is read from
    // it. The shell stays as the parent of `cat`, keeping the process's stdout open: ExaBGP takes an
    // API process whose stdout closes for a dead one.
    const receivedFile = join(workDir, 'received.jsonl');
    const receiver = join(workDir, 'received.sh');
    writeFileSync(receivedFile, '');
    writeFileSync(receiver, `#!/bin/sh\ncat >> ${receivedFile}\n`);
    chmodSync(receiver, 0o755);
    writeFileSync(configFile, renderExabgpConfig(config, fifo, receiver));
    const version = await exabgpVersion();
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
      signal: (signal) => process.kill(-proc.pid, signal),
      log,
      async rib(family) {
        return parseExabgpReceived(readLog(receivedFile)).filter((p) => isIpv6(p.prefix) === (family === 'ipv6-unicast'));
      },
    };
    return instance;
  },
};

/** The ExaBGP configuration: one API process reading the FIFO, and each neighbour with its routes. */
export function renderExabgpConfig(config: RouterConfig, fifo: string, receiver?: string): string {
  const lines = ['process porter-api {', `  run /bin/cat ${fifo};`, '  encoder text;', '}', ''];
  if (receiver) lines.push('process porter-received {', `  run ${receiver};`, '  encoder json;', '}', '');
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
    if (n.gracefulRestart) lines.push(`    graceful-restart ${n.restartTime ?? 120};`);
    if (n.addPath) lines.push(`    add-path ${ADD_PATH[n.addPath]};`);
    if (n.extendedMessage) lines.push('    extended-message enable;');
    if (n.extendedNextHop) lines.push('    nexthop enable;');
    lines.push('  }', '  family {');
    for (const family of n.families) lines.push(`    ${family === 'ipv4-unicast' ? 'ipv4' : 'ipv6'} unicast;`);
    lines.push('  }');
    if (n.extendedNextHop) lines.push('  nexthop {', '    ipv4 unicast ipv6;', '  }');
    lines.push('  api {', '    processes [ porter-api ];', '  }');
    if (receiver) lines.push('  api {', '    processes [ porter-received ];', '    neighbor-changes;', '    receive {', '      parsed;', '      update;', '    }', '  }');
    lines.push('  static {');
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

interface ExabgpAttributes {
  origin?: string;
  'as-path'?: number[] | Record<string, { value: number[] }>;
  med?: number;
  'local-preference'?: number;
  community?: [number, number][];
  'large-community'?: [number, number, number][];
  'extended-community'?: { value: string; string: string }[];
  'originator-id'?: string;
  'cluster-list'?: string[];
}

type ExabgpNlri = string | { nlri: string; 'path-information'?: string };

interface ExabgpEvent {
  type: string;
  neighbor: {
    address: { peer: string };
    state?: string;
    message?: {
      update?: {
        attribute?: ExabgpAttributes;
        announce?: Record<string, Record<string, ExabgpNlri[]>>;
        withdraw?: Record<string, ExabgpNlri[]>;
      };
    };
  };
}

/**
 * The routes ExaBGP holds from its neighbours, replayed from the JSON it printed for each UPDATE and
 * state change (a session going down drops that neighbour's routes). 64-bit extended community values
 * are read as text, since they do not fit a double.
 */
export function parseExabgpReceived(text: string): RibPath[] {
  const rib = new Map<string, RibPath>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line.replace(/"value": (\d+)/g, '"value": "$1"')) as ExabgpEvent;
    const peer = event.neighbor?.address?.peer;
    if (event.type === 'state' && event.neighbor.state === 'down') {
      for (const [key, path] of rib) if (path.peer === peer) rib.delete(key);
    }
    const update = event.neighbor?.message?.update;
    if (event.type !== 'update' || !update) continue;
    for (const list of Object.values(update.withdraw ?? {})) {
      for (const nlri of list) rib.delete(`${peer} ${nlriKey(nlri)}`);
    }
    for (const byNextHop of Object.values(update.announce ?? {})) {
      for (const [nextHop, list] of Object.entries(byNextHop)) {
        for (const nlri of list) {
          const path = exabgpPath(typeof nlri === 'string' ? nlri : nlri.nlri, update.attribute ?? {});
          path.peer = peer;
          path.nextHops = [nextHop];
          const id = typeof nlri === 'string' ? undefined : nlri['path-information'];
          if (id) path.pathId = id.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
          rib.set(`${peer} ${nlriKey(nlri)}`, path);
        }
      }
    }
  }
  return [...rib.values()];
}

function nlriKey(nlri: ExabgpNlri): string {
  return typeof nlri === 'string' ? nlri : `${nlri.nlri} ${nlri['path-information'] ?? ''}`;
}

function exabgpPath(prefix: string, a: ExabgpAttributes): RibPath {
  const path = emptyPath(prefix);
  path.best = true;
  path.origin = originOf(a.origin);
  const asPath = a['as-path'];
  path.asPath = Array.isArray(asPath) ? asPath : Object.values(asPath ?? {}).flatMap((s) => s.value);
  path.med = a.med;
  path.localPref = a['local-preference'];
  path.communities = (a.community ?? []).map(([high, low]) => `${high}:${low}`);
  path.largeCommunities = (a['large-community'] ?? []).map((c) => c.join(':'));
  path.extendedCommunities = (a['extended-community'] ?? []).map((c) => {
    const octets = Buffer.alloc(8);
    octets.writeBigUInt64BE(BigInt(c.value));
    return extendedCommunityText(octets);
  });
  if (a['originator-id']) path.originatorId = a['originator-id'];
  if (a['cluster-list']) path.clusterList = a['cluster-list'];
  return path;
}

let knownVersion: Promise<string> | undefined;

/** Asked once per process: a Python start-up can take many seconds on a loaded machine. */
function exabgpVersion(): Promise<string> {
  knownVersion ??= run('exabgp', ['--version'], { timeoutMs: 60_000 }).then(({ stdout }) => /ExaBGP : (\S+)/.exec(stdout)?.[1] ?? 'unknown');
  return knownVersion;
}
