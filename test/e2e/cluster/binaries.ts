/**
 * etcd and kube-apiserver, built from the Go modules under this folder with the machine's Go
 * toolchain (no release binary can be downloaded here) into a cache outside the repository, keyed
 * by cacheKey. A cache hit runs no Go command at all; a miss builds both, niced and with `-p 2`,
 * since the first kube-apiserver build compiles about two thousand packages on a shared machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey, goVersionFromFile, kubernetesVersion } from './cache-key.ts';
import type { Binaries, Result } from './types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const etcdModule = join(here, 'etcd');
const apiserverModule = join(here, 'apiserver');

/** Where the two binaries live in a cache folder. */
const ETCD = 'etcd';
const APISERVER = 'kube-apiserver';

/** The cache root: PORTER_CLUSTER_CACHE, else XDG_CACHE_HOME or ~/.cache, under porter/cluster. */
export function cacheRoot(): string {
  if (process.env.PORTER_CLUSTER_CACHE) return process.env.PORTER_CLUSTER_CACHE;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'porter', 'cluster');
}

/**
 * The Go toolchain's version, read from GOROOT/VERSION next to the `go` found on PATH, so that a
 * cache hit starts no Go process; `go env GOVERSION` only when that file is missing.
 */
async function goVersion(): Promise<Result<string>> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const go = join(dir, 'go');
    if (!existsSync(go)) continue;
    const versionFile = join(dirname(dirname(realpathSync(go))), 'VERSION');
    const version = existsSync(versionFile) ? goVersionFromFile(readFileSync(versionFile, 'utf8')) : undefined;
    if (version !== undefined) return { ok: true, value: version };
    break;
  }
  const run = await runGo(['env', 'GOVERSION'], here, () => {});
  return run.ok ? { ok: true, value: run.value.trim() } : run;
}

/** The cache folder for the current sources and toolchain (it may not exist yet). */
export async function binaryCacheDir(): Promise<Result<string>> {
  const go = await goVersion();
  if (!go.ok) return go;
  const inputs = [
    join('etcd', 'go.mod'),
    join('etcd', 'go.sum'),
    join('etcd', 'main.go'),
    join('apiserver', 'go.mod'),
    join('apiserver', 'go.sum'),
  ].map((name) => ({ name, content: readFileSync(join(here, name)) }));
  return { ok: true, value: join(cacheRoot(), cacheKey(inputs, go.value)) };
}

/** The cached binaries when both are present, else undefined. Runs no Go command. */
export async function cachedBinaries(): Promise<Binaries | undefined> {
  const dir = await binaryCacheDir();
  if (!dir.ok) return undefined;
  const binaries = { etcd: join(dir.value, ETCD), apiserver: join(dir.value, APISERVER) };
  return existsSync(binaries.etcd) && existsSync(binaries.apiserver) ? binaries : undefined;
}

/** Options of ensureBinaries. */
export interface BuildOptions {
  /** Receives the Go commands' output as it comes (default: this process's stderr). */
  onOutput?: (chunk: string) => void;
  /** Bound on the whole build; the Go process group is killed after it (default 45 min). */
  timeoutMs?: number;
}

/**
 * The binaries, built first when the cache lacks them. Built into a temporary folder then
 * renamed, so an interrupted build never leaves half a cache entry. One process builds at a time
 * (a lock beside the cache folder); the others wait for it and use its result.
 */
export async function ensureBinaries(options: BuildOptions = {}): Promise<Result<Binaries & { built: boolean }>> {
  const dir = await binaryCacheDir();
  if (!dir.ok) return dir;
  const cached = await cachedBinaries();
  if (cached !== undefined) return { ok: true, value: { ...cached, built: false } };

  const onOutput = options.onOutput ?? ((chunk: string) => process.stderr.write(chunk));
  const deadline = Date.now() + (options.timeoutMs ?? 45 * 60_000);
  const lock = await acquireBuildLock(`${dir.value}.lock`, deadline, onOutput);
  if (!lock.ok) return lock;
  try {
    // Another process may have finished the same build while this one waited for the lock.
    const built = await cachedBinaries();
    if (built !== undefined) return { ok: true, value: { ...built, built: false } };
    return await build(dir.value, deadline, onOutput);
  } finally {
    rmSync(`${dir.value}.lock`, { recursive: true, force: true });
  }
}

/**
 * Takes the build lock (a folder holding the builder's pid): test files started in parallel on a
 * cold cache would otherwise each compile kube-apiserver at once on the same two cores. A lock
 * whose builder has died is taken over.
 */
async function acquireBuildLock(lock: string, deadline: number, onOutput: (chunk: string) => void): Promise<Result<void>> {
  mkdirSync(dirname(lock), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      return { ok: true, value: undefined };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { ok: false, error: `build lock ${lock}: ${String(error)}` };
    }
    const owner = Number.parseInt(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : '', 10);
    if (Number.isInteger(owner) && !existsSync(`/proc/${owner}`)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) return { ok: false, error: `build lock ${lock} still held by pid ${owner}` };
    if (!told) onOutput(`waiting for the build of pid ${owner} (${lock})\n`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function build(
  cacheDir: string,
  deadline: number,
  onOutput: (chunk: string) => void,
): Promise<Result<Binaries & { built: boolean }>> {
  const version = kubernetesVersion(readFileSync(join(apiserverModule, 'go.mod'), 'utf8'));
  if (version === undefined) return { ok: false, error: `no k8s.io/kubernetes requirement in ${apiserverModule}/go.mod` };
  const [major, minor] = version.slice(1).split('.');
  // What the official build stamps through hack/lib/version.sh, so /version and the client's
  // skew checks see the release rather than v0.0.0-master.
  const versionFlags = [
    `-X k8s.io/component-base/version.gitVersion=${version}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ];
  const staging = `${cacheDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const steps: Array<{ module: string; args: string[] }> = [
    { module: etcdModule, args: buildArgs(join(staging, ETCD), [], '.') },
    {
      module: apiserverModule,
      args: buildArgs(join(staging, APISERVER), versionFlags, 'k8s.io/kubernetes/cmd/kube-apiserver'),
    },
  ];
  for (const step of steps) {
    onOutput(`building in ${step.module}: go ${step.args.join(' ')}\n`);
    const built = await runGo(step.args, step.module, onOutput, deadline - Date.now());
    if (!built.ok) {
      rmSync(staging, { recursive: true, force: true });
      return built;
    }
  }
  try {
    renameSync(staging, cacheDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(cacheDir, APISERVER))) return { ok: false, error: `cache ${cacheDir}: ${String(error)}` };
  }
  return { ok: true, value: { etcd: join(cacheDir, ETCD), apiserver: join(cacheDir, APISERVER), built: true } };
}

function buildArgs(output: string, ldflags: string[], pkg: string): string[] {
  // -s -w drops the symbol and debug tables: a third of kube-apiserver's size, unused by tests.
  return ['build', '-p', '2', '-trimpath', '-ldflags', ['-s', '-w', ...ldflags].join(' '), '-o', output, pkg];
}

/**
 * Runs `nice -n 10 go ARGS` in `cwd`. Static binaries (CGO off) so they never depend on the C
 * library of the machine that built the cache; the committed go.sum must already be complete.
 */
function runGo(
  args: string[],
  cwd: string,
  onOutput: (chunk: string) => void,
  timeoutMs = 60_000,
): Promise<Result<string>> {
  return new Promise((resolve) => {
    const child = spawn('nice', ['-n', '10', 'go', ...args], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8_000);
      onOutput(chunk);
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, Math.max(timeoutMs, 1));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `go ${args[0]}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, value: stdout });
      else resolve({ ok: false, error: `go ${args.join(' ')} in ${cwd} ended with ${code ?? signal}: ${stderr.trim()}` });
    });
  });
}
