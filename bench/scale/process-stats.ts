/**
 * A target's CPU time and memory, read from /proc for its whole process tree (the daemon and any
 * process it forked; threads are counted in their process's figures): utime + stime from
 * /proc/<pid>/stat (proc(5) fields 14 and 15, in clock ticks), VmRSS and VmHWM from
 * /proc/<pid>/status.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime and stime. 100 on every Linux architecture node runs on. */
const TICKS_PER_SECOND = 100;

export interface TreeStats {
  /** utime + stime of every live process of the tree, in seconds. */
  cpuSeconds: number;
  /** Resident set now, summed over the tree, in octets. */
  rssBytes: number;
  /** Peak resident set (VmHWM), summed over the tree, in octets. */
  peakRssBytes: number;
}

/** The pids of `root` and every live descendant. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU and memory of the tree under `root` now; a process that exits meanwhile counts as nothing. */
export function treeStats(root: number): TreeStats {
  const stats: TreeStats = { cpuSeconds: 0, rssBytes: 0, peakRssBytes: 0 };
  for (const pid of processTree(root)) {
    const fields = statFields(pid);
    if (fields === undefined) continue;
    stats.cpuSeconds += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = read(`/proc/${pid}/status`) ?? '';
    stats.rssBytes += kilobytes(status, 'VmRSS') * 1024;
    stats.peakRssBytes += kilobytes(status, 'VmHWM') * 1024;
  }
  return stats;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is the state. */
function statFields(pid: number): string[] | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
