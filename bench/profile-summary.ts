/**
 * Summarises V8 CPU profiles (`.cpuprofile`, as `node --cpu-prof` and the benchmarks' `--profile DIR`
 * write them): the top functions or files by self and by total time, and where the time goes by
 * category (garbage collector, idle, node internals, each dependency, each of Porter's directories).
 * `node --cpu-prof` writes one file per thread, so it takes several files or directories and says
 * which process and thread each one is.
 *
 *   node --import tsx bench/profile-summary.ts [--top N] [--by function|file] PROFILE_OR_DIR...
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable } from './markdown-table.ts';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** The parts of V8's `Profiler.Profile` this tool reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** µs, V8's monotonic clock. */
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
  /** µs between a sample and the one before it (the first: since startTime). */
  timeDeltas: number[];
}

export interface ProfileNode {
  id: number;
  /** lineNumber and columnNumber count from 0. */
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export type GroupBy = 'function' | 'file';

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  samples: number;
  /** Idle time excluded: the thread's CPU share goes against this. */
  busyMs: number;
  categories: Row[];
  bySelf: Row[];
  byTotal: Row[];
}

/** V8's pseudo-frames: not JavaScript, so they have no file. */
const GARBAGE_COLLECTOR = '(garbage collector)';
const IDLE = '(idle)';
const PROGRAM = '(program)';

/**
 * The category a frame's self time counts towards. Functions without a URL are native: a function
 * of the addon, one of node's C++ bindings or a V8 builtin; they count with the frame that called
 * them (see `summarise`), so an addon call made from native/ counts as the addon.
 */
export function categoryOf(url: string, functionName: string, root: string = repoRoot): string | undefined {
  if (functionName === GARBAGE_COLLECTOR) return 'GC';
  if (functionName === IDLE) return 'idle';
  if (functionName === PROGRAM) return 'program (V8 and native code outside any JavaScript frame)';
  if (url === '') return undefined;
  if (url.startsWith('node:')) return 'node internals';
  // Anything else without a file path (wasm://, evaluated code) is not ours to place.
  if (!url.startsWith('file://') && !isAbsolute(url)) return 'other';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageMatch = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path);
  if (packageMatch) return `node_modules/${packageMatch[1].replaceAll('\\', '/')}`;
  const inRepo = relative(root, path);
  if (inRepo.startsWith('..') || inRepo === path) return 'other';
  const directories = dirname(inRepo).split(sep).filter((part) => part !== '.');
  if (directories[0] === 'native') return 'native addon';
  // Two levels name a concept (engine/rib, engine/session); deeper ones split it too finely.
  return directories.length === 0 ? '(repository root)' : directories.slice(0, 2).join('/');
}

/**
 * A frame as it is listed: the function, or its file, relative to the repository. The column tells
 * apart functions on one line: tsx compiles a TypeScript file into few lines, so positions are of
 * its output and the names are what to search for.
 */
function frameName(node: ProfileNode, by: GroupBy, root: string): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const file = url === '' ? '' : url.startsWith('file://') ? relative(root, fileURLToPath(url)) : url;
  if (file === '') return functionName || '(anonymous)';
  if (by === 'file') return file;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}:${columnNumber + 1}`;
}

/** How long each sample stands for: until the next sample, the last one until the profile's end. */
function sampleDurations(profile: CpuProfile): number[] {
  const times: number[] = [];
  let time = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((time += delta));
  return times.map((start, index) => Math.max(0, (times[index + 1] ?? profile.endTime) - start));
}

function topRows(totals: Map<string, number>, sampledMs: number, top: number): Row[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: sampledMs === 0 ? 0 : ms / sampledMs }));
}

export function summarise(profile: CpuProfile, options: { top: number; by: GroupBy; root?: string }): ProfileSummary {
  const root = options.root ?? repoRoot;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  // A native frame takes the category of its nearest caller that has one.
  const categories = new Map<number, string>();
  const categoryOfNode = (id: number): string => {
    const known = categories.get(id);
    if (known !== undefined) return known;
    const { url, functionName } = nodes.get(id)!.callFrame;
    const parent = parents.get(id);
    const category = categoryOf(url, functionName, root) ?? (parent === undefined ? 'other' : categoryOfNode(parent));
    categories.set(id, category);
    return category;
  };

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const durations = sampleDurations(profile);
  let sampledMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = durations[index] / 1000;
    sampledMs += ms;
    add(self, frameName(nodes.get(id)!, options.by, root), ms);
    add(byCategory, categoryOfNode(id), ms);
    // A recursive function, or a file on the stack twice, counts once per sample.
    const onStack = new Set<string>();
    for (let frame: number | undefined = id; frame !== undefined; frame = parents.get(frame)) {
      const node = nodes.get(frame)!;
      if (node.callFrame.functionName !== '(root)') onStack.add(frameName(node, options.by, root));
    }
    for (const name of onStack) add(total, name, ms);
  });
  return {
    sampledMs,
    samples: profile.samples.length,
    busyMs: sampledMs - (byCategory.get('idle') ?? 0),
    categories: topRows(byCategory, sampledMs, Infinity),
    bySelf: topRows(self, sampledMs, options.top),
    byTotal: topRows(total, sampledMs, options.top),
  };
}

/**
 * The process and thread a profile belongs to, from the name `node --cpu-prof` gives it:
 * CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile. Thread 0 is the main thread; the
 * others are worker threads (the engine's pool, or tsx's loader thread).
 */
export function describeThread(path: string): string {
  const match = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(basename(path));
  if (!match) return 'thread unknown (not a node --cpu-prof file name)';
  return `pid ${match[1]}, ${match[2] === '0' ? 'main thread' : `worker thread ${match[2]}`}`;
}

/** The `.cpuprofile` files named, directories searched recursively, in name order. */
export function profileFiles(paths: string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.cpuprofile'))
      .sort()
      .map((name) => join(path, name));
  });
}

function renderRows(title: string, rows: Row[]): string {
  const table = markdownTable(
    [title, 'ms', 'share'],
    rows.map((row) => [row.name, row.ms.toFixed(0), `${(row.share * 100).toFixed(1)}%`]),
    [false, true, true],
  );
  return table;
}

export function renderSummary(path: string, summary: ProfileSummary, by: GroupBy): string {
  const unit = by === 'file' ? 'files' : 'functions';
  return [
    `## ${path}`,
    '',
    `${describeThread(path)}; ${(summary.sampledMs / 1000).toFixed(2)} s sampled in ${summary.samples} samples, ` +
      `${(summary.busyMs / 1000).toFixed(2)} s of it busy (not idle). Shares are of the time sampled.`,
    '',
    renderRows('category', summary.categories),
    '',
    renderRows(`top ${unit} by self time`, summary.bySelf),
    '',
    renderRows(`top ${unit} by total time (self and callees)`, summary.byTotal),
  ].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '20' }, by: { type: 'string', default: 'function' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length === 0) {
    console.log('usage: bench/profile-summary.ts [--top N] [--by function|file] PROFILE_OR_DIR...\n' +
      '  --top N                  rows in the self and total time tables (default 20)\n' +
      '  --by function|file       list functions (default) or whole files\n' +
      '  PROFILE_OR_DIR           .cpuprofile files, or directories searched for them');
    process.exit(values.help ? 0 : 2);
  }
  const top = Number(values.top);
  const by = values.by;
  if (!Number.isInteger(top) || top < 1 || (by !== 'function' && by !== 'file')) {
    console.error('profile-summary: --top takes a positive integer and --by function or file');
    process.exit(2);
  }
  const files = profileFiles(positionals);
  if (files.length === 0) {
    console.error(`profile-summary: no .cpuprofile files in ${positionals.join(', ')}`);
    process.exit(1);
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`${renderSummary(file, summarise(profile, { top, by }), by)}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
