/** Network namespaces: create (tracked for cleanup), delete, and sweep leftovers of dead runs. */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { trackNamespace, untrackNamespace } from './cleanup.ts';
import { run } from './exec.ts';
import { namespaceName, ownerPid } from './names.ts';

/**
 * Creates a namespace named `pt-<pid>-<label>-<n>` with its loopback up, tracked for cleanup.
 * Forwarding is on so a namespace can also serve as a router between links, and IPv6 duplicate
 * address detection is off for every interface made later (link-local addresses included), so
 * addresses are usable at once instead of staying tentative for a second or more.
 */
export async function createNamespace(label: string): Promise<string> {
  const name = namespaceName(label);
  trackNamespace(name);
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  await run('ip', ['netns', 'exec', name, 'sysctl',
     '-q', '-w',
    'net.ipv4.ip_forward=1',
    'net.ipv6.conf.all.forwarding=1',
    'net.ipv6.conf.all.accept_dad=0',
    'net.ipv6.conf.default.accept_dad=0',
  ]);
  return name;
}

/** Deletes a namespace this run created. */
export async function deleteNamespace(name: string): Promise<void> {
  await run('ip', ['netns', 'delete', name]).catch(() => undefined);
  untrackNamespace(name);
}

/**
 * Removes namespaces left by runs whose process no longer exists (killed with SIGKILL, say), with the
 * processes still inside them: a leftover namespace would otherwise hold addresses and daemons.
 */
export function sweepDeadRuns(): string[] {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const name of names) {
    const pid = ownerPid(name);
    if (pid === undefined || isAlive(pid)) continue;
    for (const inside of pidsIn(name)) killPid(inside);
    try {
      execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
      swept.push(name);
    } catch {
      // Removed by someone else meanwhile.
    }
  }
  return swept;
}

function pidsIn(namespace: string): number[] {
  try {
    const out = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
