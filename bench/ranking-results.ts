/** What the best-path ranking benchmark records (`--json`), and the tables it prints and bench/README.md shows. */
import type { RankOptions, TieBreakerName } from '../engine/rib/best-path/types.ts';
import type { Environment } from './environment.ts';
import { markdownTable } from './markdown-table.ts';
import { median } from './measure.ts';

/** Where the batches were ranked: inline on the main thread (the pool off), or in a pool of one or two worker threads. */
export type Runner = 'main thread, ts' | 'pool, 1 thread' | 'pool, 2 threads';

export const RUNNERS: Runner[] = ['main thread, ts', 'pool, 1 thread', 'pool, 2 threads'];

export interface RunnerResult {
  /** Wall nanoseconds of each timed run, in run order. */
  samplesNs: number[];
  /** Destinations per second at the median run. */
  destinationsPerSecond: number;
  /** Longest gap between 1 ms timer ticks of the main thread during each timed run, milliseconds, in run order. */
  longestGapMs: number[];
  /** Destinations whose best path or multipath set differs from the main thread's, in the warm-up run. */
  disagreements: number;
}

export interface RankingResults {
  benchmark: 'ranking';
  environment: Environment;
  runs: number;
  quick: boolean;
  gcExposed: boolean;
  runOrder: string;
  destinations: number;
  pathsPerDestination: number;
  batchDestinations: number;
  batches: number;
  options: RankOptions;
  runners: Record<Runner, RunnerResult>;
  /** Per timed round, the pool of one thread's time over the pool of two threads' time (both measured in that round). */
  twoOverOne: number[];
  /** Per timed round, nanoseconds to build every batch without ranking it: part of every runner's time. */
  buildNs: number[];
  /** Destinations by the last tie-breaker that eliminated one of their paths (the one that chose the best); `none` when no path is valid. */
  decidedBy: Partial<Record<TieBreakerName | 'none', number>>;
  /** Destinations by the size of their multipath set (index 0: no best path). */
  multipathSizes: number[];
  /** The generated destinations as the benchmark keeps them (one profile code per candidate path). */
  inputBytes: number;
  /** Distinct profiles in use: candidate paths of one profile share one made path and its ranking values. */
  profiles: number;
  /** Peak resident set of the process, main thread and workers, over the whole benchmark. */
  peakRssBytes: number;
  checksum: number;
}

const significant = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const megabytes = (bytes: number) => `${significant(bytes / 1e6)} MB`;
const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}%`;

function throughputTable(results: RankingResults): string {
  const headers = ['runner', 'destinations', 'batches', 'Mdest/s', 'median run s', 'longest stall ms (median run)', 'longest stall ms (worst run)',
    'same best & multipath'];
  const rows = RUNNERS.map((runner) => {
    const entry = results.runners[runner];
    return [
      runner,
      results.destinations.toLocaleString('en-US'),
      String(results.batches),
      significant(entry.destinationsPerSecond / 1e6),
      significant(median(entry.samplesNs) / 1e9),
      significant(median(entry.longestGapMs)),
      significant(Math.max(...entry.longestGapMs)),
      entry.disagreements === 0 ? 'yes' : `**NO** (${entry.disagreements.toLocaleString('en-US')} destinations)`,
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function summary(results: RankingResults): string {
  const ratios = results.twoOverOne.map((ratio) => `${significant(ratio)}×`).join(', ');
  const sizes = results.multipathSizes
    .map((count, size) => (count === 0 ? '' : `${size === 0 ? 'no best' : size}: ${percent(count, results.destinations)}`))
    .filter((part) => part !== '')
    .join(', ');
  return [
    `- Pool 2 threads / 1 thread: ${significant(median(results.twoOverOne))}× at the median round (each round: ${ratios}).`,
    `- Building the batches from the generated destinations, which every run does as it hands them over: ${significant(median(results.buildNs) / 1e9)} s ` +
      'at the median round, included in every runner\'s time.',
    `- Multipath set sizes: ${sizes}.`,
    `- Peak RSS ${megabytes(results.peakRssBytes)} (main thread and workers). The destinations are kept as ${megabytes(results.inputBytes)} of ` +
      `profile codes over ${results.profiles.toLocaleString('en-US')} made paths; a batch's RankPaths exist from when it is handed over until it is ranked.`,
  ].join('\n');
}

function decidedByTable(results: RankingResults): string {
  const headers = ['deciding tie-breaker', 'destinations', 'share'];
  const rows = Object.entries(results.decidedBy).map(([name, count]) => [name, count.toLocaleString('en-US'), percent(count, results.destinations)]);
  return markdownTable(headers, rows, [false, true, true]);
}

/** The Markdown of the results, with a loud line when a runner disagreed with the main thread. */
export function renderRankingResults(results: RankingResults): string {
  const options = JSON.stringify(results.options);
  const sections = [
    `${results.destinations.toLocaleString('en-US')} destinations × ${results.pathsPerDestination} candidate paths, ` +
      `${results.batchDestinations.toLocaleString('en-US')} destinations per batch; options ${options}.`,
    throughputTable(results),
    summary(results),
    decidedByTable(results),
  ];
  const disagreeing = RUNNERS.filter((runner) => results.runners[runner].disagreements > 0);
  if (disagreeing.length > 0) {
    sections.push(`**WARNING: ${disagreeing.join(', ')} chose other best paths or multipath sets than the main thread; these numbers are suspect.**`);
  }
  return sections.join('\n\n');
}
