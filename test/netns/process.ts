/**
 * Long-running processes (daemons, peers), inside a namespace or on the host. Each is spawned as
 * the leader of its own process group (`ip netns exec` execs the command, so the pid is the
 * daemon's own), tracked for cleanup, and stopped by that pid: SIGTERM to the group, then SIGKILL
 * after a grace period.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { killGroup, trackProcess, untrackProcess } from './cleanup.ts';

export interface SpawnOptions {
  /** File that receives stdout and stderr; without it stdout is a pipe and stderr is inherited by the log of the caller. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ManagedProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Whether it has not ended yet. */
  running(): boolean;
  /** Stops the process group: SIGTERM, then SIGKILL after `graceMs` (default 3 s). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `file args` inside a namespace and records its pid. */
export function spawnIn(namespace: string, file: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  return spawnTracked('ip', ['netns', 'exec', namespace, file, ...args], options);
}

/** Starts `file args` on the host and records its pid. */
export function spawnOnHost(file: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  return spawnTracked(file, args, options);
}

function spawnTracked(file: string, args: string[], options: SpawnOptions): ManagedProcess {
  const log = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const child = spawn(file, args, {
    detached: true,
    env: options.env,
    cwd: options.cwd,
    stdio: log === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', log, log],
  });
  if (log !== undefined) closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${file} ${args.join(' ')}`);
  trackProcess(pid);
  let ended = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      ended = true;
      resolve(error.message);
    });
  });
  const stop = async (graceMs = 3_000): Promise<void> => {
    if (!ended) {
      killGroup(pid, 'SIGTERM');
      await Promise.race([exited, delay(graceMs)]);
    }
    // Children the leader forked (OpenBGPD's engines, say) share its group and go with it.
    killGroup(pid, 'SIGKILL');
    await exited;
    untrackProcess(pid);
  };
  return { pid, child, exited, running: () => !ended, stop };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
