/**
 * The pool in a process of its own: workers load the TypeScript tasks both when the process was
 * started with `--import tsx` and when it registered tsx through its API (as bin/porter.mjs does),
 * and the process ends by itself once the pool is closed, or left idle.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const child = join(here, 'test-child.ts');

/** Runs the child; a process that does not end by itself is killed at the timeout and fails. */
function run(args: string[]): { ok: boolean[]; resources: string[] } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 90_000 });
  assert.equal(result.signal, null, `the process did not end by itself:\n${result.stdout}\n${result.stderr}`);
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
}

test('started with --import tsx: every task runs in a worker, and close leaves nothing running', { timeout: 120_000 }, () => {
  const report = run(['--import', 'tsx', child]);
  assert.deepEqual(report.ok, [true, true, true, true]);
  assert.deepEqual(report.resources, []);
});

test('tsx registered through its API, as bin/porter.mjs does: workers still load the .ts tasks', { timeout: 120_000 }, () => {
  const report = run([join(here, 'test-child-register.mjs')]);
  assert.deepEqual(report.ok, [true, true, true, true]);
  assert.deepEqual(report.resources, []);
});

test('a pool left open does not keep the process alive once its workers are idle', { timeout: 120_000 }, () => {
  const report = run(['--import', 'tsx', child, '--leave-open']);
  assert.deepEqual(report.ok, [true, true, true, true]);
});
