/**
 * A benchmark run as its smoke test runs it: the script in a fresh node process, with `--json`
 * into a scratch directory that goes whatever happens. Asserts the process exited cleanly (its
 * output in the message when not) and answers with its output and its JSON results.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface QuickRunOptions {
  /** Node flags before `--import tsx`, such as `--expose-gc`. */
  node?: string[];
  timeoutMs: number;
  /** How the process is stopped at the timeout; SIGTERM by default. */
  killSignal?: NodeJS.Signals;
}

export function runBenchmark<T>(script: string, args: string[], options: QuickRunOptions): { stdout: string; results: T } {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-test-'));
  try {
    const json = join(directory, 'results.json');
    const run = spawnSync(process.execPath, [...(options.node ?? []), '--import', 'tsx', script, ...args, '--json', json], {
      cwd: root,
      encoding: 'utf8',
      timeout: options.timeoutMs,
      ...(options.killSignal !== undefined && { killSignal: options.killSignal }),
    });
    assert.equal(run.status, 0, `benchmark failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    return { stdout: run.stdout, results: JSON.parse(readFileSync(json, 'utf8')) as T };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
