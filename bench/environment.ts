/** The machine and toolchain a benchmark ran on, recorded with its results. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Environment {
  date: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews timings. */
  loadAverage: number[];
  node: string;
  rustc: string;
  /** `git describe` of the tree measured, with "-dirty" when it had uncommitted changes. */
  commit: string;
}

export function describeEnvironment(): Environment {
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()}`,
    loadAverage: loadAverage(),
    node: process.version,
    rustc: commandOutput('rustc', ['--version']) ?? 'not found',
    commit: commandOutput('git', ['describe', '--always', '--dirty']) ?? 'unknown',
  };
}

/** The 1, 5 and 15 minute load averages now. */
export function loadAverage(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

/** One line for a report header. */
export function environmentLine(environment: Environment): string {
  const memory = `${(environment.memoryBytes / 2 ** 30).toFixed(1)} GiB`;
  return `${environment.cpuModel}, ${environment.cores} cores, ${memory}; ${environment.kernel}; load ${environment.loadAverage.join(' ')}; ` +
    `Node ${environment.node}; ${environment.rustc}; commit ${environment.commit}; ${environment.date}`;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through to what node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function commandOutput(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
