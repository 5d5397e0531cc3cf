/**
 * The state directory of a named control plane (`$TMPDIR/porter-cluster-NAME`) and the record of
 * its pids and endpoints inside it, which `down` and `status` read from another process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths } from './arguments.ts';
import type { ControlPlaneState, Result } from './types.ts';

/** The state directory of control plane `name`, after checking the name is a plain word. */
export function stateDir(name: string): Result<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    return { ok: false, error: `bad control plane name ${JSON.stringify(name)}: letters, digits, - and _ only` };
  }
  return { ok: true, value: join(tmpdir(), `porter-cluster-${name}`) };
}

/** Writes the record atomically (a reader never sees half of it), with one pid file per process. */
export function writeState(state: ControlPlaneState): void {
  const file = paths(state.dir).state;
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  if (state.pids.etcd !== undefined) writeFileSync(join(state.dir, 'etcd.pid'), `${state.pids.etcd}\n`);
  if (state.pids.apiserver !== undefined) writeFileSync(join(state.dir, 'kube-apiserver.pid'), `${state.pids.apiserver}\n`);
}

/** The record in `dir`, or undefined when there is none or it cannot be read. */
export function readState(dir: string): ControlPlaneState | undefined {
  const file = paths(dir).state;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneState;
  } catch {
    return undefined;
  }
}
