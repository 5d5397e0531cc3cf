/**
 * The cleanup registry: every namespace and process a run creates is recorded here, and all of them
 * are removed when the run ends, whether it ends normally, by an exception or by SIGINT/SIGTERM.
 * Processes are ended by the pid recorded at spawn (their process group, since each is spawned as a
 * group leader), namespaces by name; nothing is matched by pattern.
 */
import { execFileSync } from 'node:child_process';

const namespaces = new Set<string>();
const processGroups = new Set<number>();
let hooksInstalled = false;

/** Records a namespace to delete at the end of the run. */
export function trackNamespace(name: string): void {
  installHooks();
  namespaces.add(name);
}

/** Forgets a namespace already deleted. */
export function untrackNamespace(name: string): void {
  namespaces.delete(name);
}

/** Records a process (the leader of its own process group) to kill at the end of the run. */
export function trackProcess(pid: number): void {
  installHooks();
  processGroups.add(pid);
}

/** Forgets a process that has exited. */
export function untrackProcess(pid: number): void {
  processGroups.delete(pid);
}

/** Kills every tracked process group, then deletes every tracked namespace. Safe to call twice. */
export function cleanupAll(): void {
  for (const pid of processGroups) killGroup(pid);
  processGroups.clear();
  for (const name of namespaces) deleteNamespaceSync(name);
  namespaces.clear();
}

/** SIGKILLs a process group by its leader's pid; a group already gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

function deleteNamespaceSync(name: string): void {
  try {
    execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  } catch {
    // Already deleted.
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' also runs after an uncaught exception; only synchronous work is possible there.
  process.on('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}
