/**
 * One node of the standalone suite: `porter run --manifests DIR --node NAME --status FILE` as its own
 * process inside the node's namespace. The process logs one JSON object per line on stderr, kept in
 * a file for the failure report; it is stopped by its pid (SIGTERM, then SIGKILL).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLog } from '../daemons/log.ts';
import { type ManagedProcess, spawnIn } from '../netns/process.ts';
import { until } from '../netns/wait.ts';
import { type StatusFile, readStatusFile } from './status-file.ts';

const PORTER = fileURLToPath(new URL('../../bin/porter.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunNode {
  /** The Node's name in the manifests. */
  name: string;
  namespace: string;
  /** Its address on the bridge: its InternalIP and next hop. */
  address: string;
  pid: number;
  statusFile: string;
  /** The status file now, or undefined while there is none. */
  status(): StatusFile | undefined;
  /** The log, for the failure report. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a node's `porter run` and waits until it has written its status file once, which it does
 * after reading the manifests; fails with its log if it exits first.
 */
export async function startRunNode(namespace: string, workDir: string, manifests: string, name: string, address: string): Promise<RunNode> {
  const statusFile = join(workDir, `${name}.status.json`);
  const logFile = join(workDir, `${name}.log`);
  const proc: ManagedProcess = spawnIn(
    namespace,
    process.execPath,
    [PORTER, 'run', '--manifests', manifests, '--node', name, '--status', statusFile, '--log-level', 'info'],
    { logFile, cwd: REPO_ROOT },
  );
  const log = () => readLog(logFile);
  let exit: number | string | undefined;
  void proc.exited.then((code) => {
    exit = code;
  });
  const failure = await until(`${name}'s status file`, async () => exit !== undefined || readStatusFile(statusFile) !== undefined, 60_000).then(
    () => (exit !== undefined ? `porter run for ${name} exited: ${exit}` : undefined),
    (error: Error) => error.message,
  );
  if (failure !== undefined) {
    await proc.stop(500);
    throw new Error(`${failure}\n--- ${name} log ---\n${log().slice(-4000)}`);
  }
  return {
    name,
    namespace,
    address,
    pid: proc.pid,
    statusFile,
    status: () => readStatusFile(statusFile),
    log,
    stop: () => proc.stop(5_000),
  };
}
