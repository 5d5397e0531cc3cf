/**
 * Porter's speaker as the interop tests run it: `porter bgp serve` as its own process inside a
 * namespace, driven through its control socket. The socket is a path on the shared filesystem, so
 * the test reaches it from outside the namespace. The process logs one JSON object per line on
 * stderr, kept in a file for the failure report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlRequest } from '../../engine/control/client.ts';
import type { AdjRibInEntry, LocRibPath } from '../../engine/speaker/views.ts';
import type { Family, PathAttribute } from '../../engine/wire/types.ts';
import { readLog } from '../daemons/log.ts';
import { killGroup } from '../netns/cleanup.ts';
import { type ManagedProcess, spawnIn } from '../netns/process.ts';
import { until } from '../netns/wait.ts';

const PORTER = fileURLToPath(new URL('../../bin/porter.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The configuration file of `porter bgp serve` (engine/speaker/config.ts), loosely typed for tests. */
export interface PorterConfig {
  asn: number;
  routerId: string;
  clusterId?: string;
  listen?: { address: string; port?: number }[];
  multipath?: { upTo?: string; relaxAsPath?: boolean; maximumPaths: number };
  gracefulRestart?: { restartTime?: number; restarting?: boolean; llgrStaleTime?: number; stalePathTime?: number };
  addresses?: { ipv4?: string; ipv6?: string };
  peers: PorterPeer[];
  routes?: PorterRoute[];
}

export interface PorterPeer {
  address: string;
  asn: number;
  localAddress?: string;
  passive?: boolean;
  families?: Family[];
  addPath?: Partial<Record<Family, 'receive' | 'send' | 'both'>>;
  addPathSendMax?: number;
  rrClient?: boolean;
  nextHopSelf?: boolean;
  holdTime?: number;
  connectRetry?: number;
  /** Default here: twice connectRetry, so a daemon slow to start under load is dialled again soon. */
  connectRetryMax?: number;
  extendedNextHop?: boolean;
  extendedMessage?: boolean;
  gracefulRestart?: boolean;
}

export interface PorterRoute {
  prefix: string;
  nextHop?: string;
  pathId?: number;
  attributes?: PathAttribute[];
}

export interface Neighbor {
  address: string;
  asn: number;
  state: string;
  uptime: number | null;
  received: number;
  accepted: number;
  advertised: number;
  lastError: string | null;
}

/** The control socket's rows, as the speaker writes them. */
export type AdjRibInRoute = AdjRibInEntry;
export type { LocRibPath };

export interface PorterProcess {
  name: string;
  pid: number;
  namespace: string;
  control: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** One control request; rejects with the speaker's error text. */
  request<T>(op: string, fields?: Record<string, unknown>): Promise<T>;
  neighbors(): Promise<Neighbor[]>;
  neighbor(address: string): Promise<Neighbor | undefined>;
  /** Waits until the session with `address` is Established. */
  established(address: string, timeoutMs?: number): Promise<void>;
  adjRibIn(peer: string, family: Family): Promise<AdjRibInRoute[]>;
  locRib(family: Family): Promise<{ prefix: string; paths: LocRibPath[] }[]>;
  announce(routes: PorterRoute[]): Promise<void>;
  withdraw(routes: { prefix: string; pathId?: number }[]): Promise<void>;
  /** SIGKILL: the process vanishes without a NOTIFICATION, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM (Cease to every peer), SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** The stderr log, for the failure report. */
  log(): string;
}

/**
 * Starts a speaker in `namespace` with `config` and waits until its control socket answers.
 * `name` keeps the files of several speakers in one work directory apart.
 */
export async function startPorter(namespace: string, workDir: string, config: PorterConfig, name = 'porter'): Promise<PorterProcess> {
  const configFile = join(workDir, `${name}.json`);
  const control = join(workDir, `${name}.sock`);
  const logFile = join(workDir, `${name}.log`);
  const peers = config.peers.map((peer) =>
    peer.connectRetry === undefined || peer.connectRetryMax !== undefined ? peer : { ...peer, connectRetryMax: 2 * peer.connectRetry },
  );
  writeFileSync(configFile, JSON.stringify({ routes: [], ...config, peers }, null, 2));
  const proc: ManagedProcess = spawnIn(namespace, process.execPath, [PORTER, 'bgp', 'serve', '--config', configFile, '--control', control], {
    logFile,
    cwd: REPO_ROOT,
  });
  const log = () => readLog(logFile);
  const request = async <T>(op: string, fields: Record<string, unknown> = {}): Promise<T> => {
    // As long as a command may take (test/netns/exec.ts): a loaded machine can starve a process for seconds.
    const response = await controlRequest(control, { op, ...fields }, 30_000);
    if (!response.ok) throw new Error(`porter ${name} ${op}: ${response.error}`);
    return response.result as T;
  };
  let ended = false;
  void proc.exited.then(() => {
    ended = true;
  });
  // A bound, not an expectation: it starts in under a second, but the interop suites start dozens of
  // processes at once while the other tiers keep both cores busy.
  try {
    await until(`${name}'s control socket`, async () => {
      if (ended) throw new Error(`porter ${name} exited: ${await proc.exited}`);
      await request('neighbors');
      return true;
    }, 60_000);
  } catch (error) {
    await proc.stop(500);
    throw new Error(`${(error as Error).message}\n--- ${name} log ---\n${log().slice(-4000)}`);
  }
  const neighbors = () => request<Neighbor[]>('neighbors');
  const neighbor = async (address: string) => (await neighbors()).find((n) => n.address === address);
  return {
    name,
    pid: proc.pid,
    namespace,
    control,
    exited: proc.exited,
    request,
    neighbors,
    neighbor,
    async established(address, timeoutMs = 30_000) {
      await until(`${name}: session with ${address} Established`, async () => (await neighbor(address))?.state === 'Established', timeoutMs);
    },
    adjRibIn: (peer, family) => request('rib', { family, table: 'in', peer }),
    locRib: (family) => request('rib', { family, table: 'loc' }),
    async announce(routes) {
      await request('announce', { routes });
    },
    async withdraw(routes) {
      await request('withdraw', { routes });
    },
    async kill() {
      killGroup(proc.pid, 'SIGKILL');
      await proc.stop(0);
    },
    stop: () => proc.stop(3_000),
    log,
  };
}
