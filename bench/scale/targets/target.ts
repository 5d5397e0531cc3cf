/** A router under test: started in its namespace with a configuration for one scenario, stopped by its pid. */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../scenarios.ts';

export interface RunningTarget {
  /** The process whose tree is measured. */
  pid: number;
  stop(): Promise<void>;
  /** The target's own log, for a failed run's report. */
  log(): string;
}

export interface Target {
  /** The name used by `--targets` and in the report. */
  name: string;
  /** Package and version, e.g. "BIRD 2.0.12". */
  version(): Promise<string>;
  /** Sessions the tester may have connecting at once (64 by default): a target with a short listen backlog drops the SYNs of a larger burst. */
  connectConcurrency?: number;
  /**
   * Starts the target listening on 198.18.0.1:179 as route reflector of the scenario's sessions:
   * injectors as ordinary iBGP peers, receivers as reflection clients, so each injected route goes
   * to every receiver and to no injector (RFC 4456 section 6). Every session is passive: the tester
   * dials.
   */
  start(namespace: string, workDir: string, scenario: Scenario): Promise<RunningTarget>;
}

/**
 * The hard limit on open files (/proc/self/limits): a thousand sessions need a thousand sockets, and
 * a daemon started with a low soft limit (1,024 is common) runs out. Raising the soft limit to the
 * hard one needs no privilege.
 */
export function hardOpenFileLimit(limits = readFileSync('/proc/self/limits', 'utf8')): number {
  const match = /^Max open files\s+\S+\s+(\S+)/m.exec(limits);
  return match === null || match[1] === 'unlimited' ? 1_048_576 : Number(match[1]);
}

/** A command line that runs `file args` with its soft open-file limit raised to the hard one; `prlimit` execs, so the pid is the command's. */
export function withOpenFiles(file: string, args: string[]): [string, string[]] {
  const limit = hardOpenFileLimit();
  return ['prlimit', [`--nofile=${limit}:${limit}`, '--', file, ...args]];
}
