/**
 * The suite's long-running processes: Porter's controller and speakers and the apiserver relays,
 * on the host or inside a node's namespace. Each is the leader of its own process group, logs
 * (stdout and stderr, JSON lines for Porter) to a file kept for the failure report, is tracked for
 * cleanup at exit, and is stopped by its pid.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLog } from '../daemons/log.ts';
import { killGroup } from '../netns/cleanup.ts';
import { spawnIn, spawnOnHost } from '../netns/process.ts';
import { until } from '../netns/wait.ts';

const PORTER = fileURLToPath(new URL('../../bin/porter.mjs', import.meta.url));
const RELAY = fileURLToPath(new URL('./apiserver-relay.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A process the suite started. */
export interface SuiteProcess {
  name: string;
  pid: number;
  /** Its log so far. */
  log(): string;
  /** Resolves with the exit code or signal when it ends. */
  exited: Promise<number | string>;
  /** Whether it is still running. */
  running(): boolean;
  /** Sends a signal to its process group (SIGKILL: dies at once, releasing nothing). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Where a process runs: the host, or a network namespace. */
export type Place = { host: true } | { namespace: string };

/** Starts `node ARGS` (the test's own Node binary) in `place`, logging to `workDir/NAME.log`. */
export function startNode(place: Place, workDir: string, name: string, args: string[]): SuiteProcess {
  const logFile = join(workDir, `${name}.log`);
  const options = { logFile, cwd: REPO_ROOT };
  const proc = 'namespace' in place
    ? spawnIn(place.namespace, process.execPath, args, options)
    : spawnOnHost(process.execPath, args, options);
  return {
    name,
    pid: proc.pid,
    log: () => readLog(logFile),
    exited: proc.exited,
    running: proc.running,
    signal: (signal) => killGroup(proc.pid, signal),
    stop: (graceMs = 5_000) => proc.stop(graceMs),
  };
}

/** `porter ARGS` in `place`. */
export function startPorter(place: Place, workDir: string, name: string, args: string[]): SuiteProcess {
  return startNode(place, workDir, name, [PORTER, ...args]);
}

/** A relay from `listen` to `target` in `place`, resolved once it accepts connections. */
export async function startRelay(place: Place, workDir: string, name: string, listen: string, target: string): Promise<SuiteProcess> {
  const relay = startNode(place, workDir, name, ['--import', 'tsx', RELAY, listen, target]);
  try {
    await until(`${name} listening`, async () => !relay.running() || relay.log().includes('relay listening'), 60_000);
    if (!relay.running()) throw new Error(`${name} exited`);
  } catch (error) {
    await relay.stop(500);
    throw new Error(`${(error as Error).message}\n--- ${name} log ---\n${relay.log().slice(-2000)}`);
  }
  return relay;
}
