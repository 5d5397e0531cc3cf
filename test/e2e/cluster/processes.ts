/**
 * The control plane's processes: started detached (their own session, output to a log file, not
 * waited on) so that `cluster up` can return while they run, and stopped by their recorded pid.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import type { Result } from './types.ts';

/** Starts `file args` detached with stdout and stderr appended to `logFile`; returns its pid. */
export function startDetached(file: string, args: string[], logFile: string): Result<number> {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) return { ok: false, error: `could not start ${file}` };
    // A spawn error (missing binary) arrives as an event: swallow it here, the caller sees the
    // process gone when it waits for readiness.
    child.once('error', () => {});
    child.unref();
    return { ok: true, value: child.pid };
  } finally {
    closeSync(log);
  }
}

/**
 * True while `pid` runs and its command line contains `marker` (the state directory), so a pid
 * recycled by an unrelated process is never taken for ours. A zombie counts as gone.
 */
export function isOurs(pid: number, marker: string): boolean {
  const proc = `/proc/${pid}`;
  if (!existsSync(proc)) return false;
  try {
    const stat = readFileSync(`${proc}/stat`, 'utf8');
    // The state is the field after the parenthesised command name, which may hold spaces.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return readFileSync(`${proc}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Stops our process `pid`: SIGTERM (etcd flushes, kube-apiserver drains), then SIGKILL when it
 * still runs after `graceMs`. Resolves once it is gone; does nothing for a pid that is not ours.
 */
export async function stopProcess(pid: number, marker: string, graceMs = 10_000): Promise<void> {
  if (!isOurs(pid, marker)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isOurs(pid, marker)) await delay(100);
  if (!isOurs(pid, marker)) return;
  signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline && isOurs(pid, marker)) await delay(50);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal.
  }
}

/** Waits `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
