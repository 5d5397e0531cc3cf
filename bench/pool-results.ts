/** What the worker pool benchmark records (`--json`), and the tables it prints and bench/README.md shows. */
import type { Environment } from './environment.ts';
import { markdownTable } from './markdown-table.ts';

/** Where a throughput run put its batches. */
export type Runner =
  | 'pool, 1 thread' | 'pool, 2 threads' | 'bare threads, 1' | 'bare threads, 2' | 'main thread, native' | 'main thread, ts';

export interface ThroughputCase {
  task: 'decodeRoutes' | 'encodeRoutes';
  routes: number;
  batches: number;
  /** Wall nanoseconds of each run, by runner, in run order. */
  samplesNs: Partial<Record<Runner, number[]>>;
  /** Routes per second at the median run, by runner. */
  routesPerSecond: Partial<Record<Runner, number>>;
  /** Median of the per-run ratios of 2 threads over 1 thread (both measured in the same run). */
  twoOverOne: number;
  /** The same ratio for bare threads (bench/bare-threads.ts): the machine's ceiling for `twoOverOne`. */
  bareTwoOverOne: number;
  /** Whether every pool and main-thread runner's results equal the main-thread native (or ts) ones. */
  identical: boolean;
}

export interface CrossoverStep {
  size: number;
  /** Main-thread microseconds per batch run inline, by implementation. */
  inlineUs: { native?: number; ts: number };
  /** Main-thread (event-loop active) microseconds per batch handed to one worker and taken back. */
  poolMainUs: number;
  /** Wall microseconds from handing a batch to the worker to having its answer. */
  poolRoundTripUs: number;
}

export interface CrossoverCase {
  task: 'decode-routes' | 'encode-routes' | 'rank-destinations' | 'hash-flows';
  unit: string;
  steps: CrossoverStep[];
  /** The first size from which the pool costs the main thread less than running inline, by implementation; null when none of the ladder. */
  crossover: { native: number | null; ts: number | null };
}

export interface StallCase {
  task: string;
  routes: number;
  /** Longest gap between 1 ms timer ticks of the main thread while the batch ran, milliseconds, by placement. */
  longestGapMs: Record<'pool' | 'native' | 'ts', number>;
}

export interface PoolResults {
  benchmark: 'pool';
  environment: Environment;
  runs: number;
  quick: boolean;
  runOrder: string;
  native: { available: true } | { available: false; error: string };
  throughput: ThroughputCase[];
  crossovers: CrossoverCase[];
  stalls: StallCase[];
}

/** The target of docs/pool.md: two worker threads at least 1.7 times one. */
export const TARGET_TWO_OVER_ONE = 1.7;

const RUNNERS: Runner[] = ['pool, 1 thread', 'pool, 2 threads', 'bare threads, 1', 'bare threads, 2', 'main thread, native', 'main thread, ts'];
const significant = (value: number | undefined | null) => (value === undefined || value === null ? '-' : value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const count = (value: number | null) => (value === null ? 'none' : value.toLocaleString('en-US'));

function throughputTable(results: PoolResults): string {
  const headers = ['bulk (IPv4 /32, 100 sets)', 'routes', 'batches', ...RUNNERS.map((runner) => `${runner} Mroute/s`), 'pool 2 / 1', 'bare 2 / 1', 'same'];
  const rows = results.throughput.map((entry) => [
    entry.task,
    entry.routes.toLocaleString('en-US'),
    String(entry.batches),
    ...RUNNERS.map((runner) => significant((entry.routesPerSecond[runner] ?? NaN) / 1e6).replace('NaN', '-')),
    `${significant(entry.twoOverOne)}×`,
    `${significant(entry.bareTwoOverOne)}×`,
    entry.identical ? 'yes' : '**NO**',
  ]);
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function crossoverTable(results: PoolResults): string {
  const headers = ['task', 'size', 'unit', 'inline native µs', 'inline ts µs', 'pool: main-thread µs', 'pool: round trip µs'];
  const rows = results.crossovers.flatMap((entry) => entry.steps.map((step) => [
    entry.task, step.size.toLocaleString('en-US'), entry.unit, significant(step.inlineUs.native), significant(step.inlineUs.ts),
    significant(step.poolMainUs), significant(step.poolRoundTripUs),
  ]));
  return markdownTable(headers, rows, headers.map((_, column) => column === 1 || column > 2));
}

function crossoverSummary(results: PoolResults): string {
  const headers = ['task', 'unit', 'crossover, native main thread', 'crossover, ts main thread'];
  const rows = results.crossovers.map((entry) => [entry.task, entry.unit, count(entry.crossover.native), count(entry.crossover.ts)]);
  return markdownTable(headers, rows, [false, false, true, true]);
}

function stallTable(results: PoolResults): string {
  const headers = ['one big batch', 'routes', 'in the pool ms', 'main thread native ms', 'main thread ts ms'];
  const rows = results.stalls.map((entry) => [
    entry.task, entry.routes.toLocaleString('en-US'),
    significant(entry.longestGapMs.pool), significant(entry.longestGapMs.native), significant(entry.longestGapMs.ts),
  ]);
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function targetSummary(results: PoolResults): string {
  return results.throughput
    .map((entry) => `- ${entry.task}: 2 threads ≥ ${TARGET_TWO_OVER_ONE}× one thread: ${entry.twoOverOne >= TARGET_TWO_OVER_ONE ? 'met' : 'missed'} ` +
      `(${significant(entry.twoOverOne)}×; bare threads on this machine: ${significant(entry.bareTwoOverOne)}×).`)
    .join('\n');
}

/** The Markdown of the results. */
export function renderPoolResults(results: PoolResults): string {
  return [
    throughputTable(results),
    targetSummary(results),
    'Crossover: the first size from which handing a batch to the pool costs the main thread less than running it.',
    crossoverSummary(results),
    crossoverTable(results),
    'Longest main-thread stall (gap between 1 ms timer ticks) while one big batch runs:',
    stallTable(results),
  ].join('\n\n');
}
