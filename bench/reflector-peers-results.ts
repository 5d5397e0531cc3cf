/** The reflector benchmark's results as JSON and as the Markdown tables printed and put in README.md. */
import type { Environment } from './environment.ts';
import { markdownTable } from './markdown-table.ts';
import { median } from './measure.ts';
import type { ReflectorStats, TesterResult } from './reflector-peers-protocol.ts';

export type Implementation = 'ts' | 'native';

/** Seconds between keepalives at the hold time the benchmark sets (90 s, RFC 4271 section 10). */
export const KEEPALIVE_SECONDS = 30;

/** The tester's CPU time above this share of the convergence time means it may be what limits the run. */
export const TESTER_BOUND_SHARE = 0.9;

/** Kernel TCP counters over a run (Linux, the whole network namespace). */
export interface TcpCounters {
  /** Connections dropped because the listener's accept queue was full. */
  listenOverflows: number;
  /** SYNs sent again, each after a back-off of 1, 3, 7... seconds. */
  synRetransmits: number;
}

export interface RunSample {
  run: number;
  tester: TesterResult;
  reflector: ReflectorStats;
  tcp?: TcpCounters;
}

/** The median of each figure over the runs of one implementation. */
export interface Summary {
  establishedSeconds: number;
  convergedSeconds: number;
  updates: number;
  updateOctets: number;
  reflectorCpuSeconds: number;
  testerCpuSeconds: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  ownPrefixesReflected: number;
  listenOverflows?: number;
  synRetransmits?: number;
}

export interface ImplementationResult {
  samples: RunSample[];
  median: Summary;
}

export interface ReflectorPeersResults {
  quick: boolean;
  peers: number;
  prefixes: number;
  runs: number;
  holdTime: number;
  runOrder: string;
  environment: Environment;
  native: { available: boolean; error?: string };
  implementations: Partial<Record<Implementation, ImplementationResult>>;
  warnings: string[];
}

export function summarise(samples: RunSample[]): Summary {
  const of = (figure: (sample: RunSample) => number) => median(samples.map(figure));
  return {
    establishedSeconds: of((s) => s.tester.establishedSeconds),
    convergedSeconds: of((s) => s.tester.convergedSeconds),
    updates: of((s) => s.tester.received.update.messages),
    updateOctets: of((s) => s.tester.received.update.octets),
    reflectorCpuSeconds: of((s) => s.reflector.cpuUserSeconds + s.reflector.cpuSystemSeconds),
    testerCpuSeconds: of((s) => s.tester.cpuUserSeconds + s.tester.cpuSystemSeconds),
    peakRssBytes: of((s) => s.reflector.peakRssBytes),
    peakHeapBytes: of((s) => s.reflector.peakHeapBytes),
    loopDelayMaxMs: of((s) => s.reflector.loopDelayMaxMs),
    loopDelayP99Ms: of((s) => s.reflector.loopDelayP99Ms),
    ownPrefixesReflected: of((s) => s.tester.ownPrefixesReflected),
    ...(samples.every((s) => s.tcp !== undefined)
      ? { listenOverflows: of((s) => s.tcp!.listenOverflows), synRetransmits: of((s) => s.tcp!.synRetransmits) }
      : {}),
  };
}

/** What a run says about the measurement itself: a tester that used a core's worth of CPU, a stall near a keepalive. */
export function sampleWarnings(implementation: Implementation, sample: RunSample): string[] {
  const warnings: string[] = [];
  const { tester, reflector } = sample;
  const testerCpu = tester.cpuUserSeconds + tester.cpuSystemSeconds;
  if (testerCpu >= TESTER_BOUND_SHARE * tester.convergedSeconds) {
    warnings.push(`${implementation} run ${sample.run}: the tester used ${seconds(testerCpu)} s of CPU in ` +
      `${seconds(tester.convergedSeconds)} s: it may be the bottleneck, not the reflector`);
  }
  if (reflector.loopDelayMaxMs >= KEEPALIVE_SECONDS * 1000) {
    warnings.push(`${implementation} run ${sample.run}: the reflector's event loop stalled ${seconds(reflector.loopDelayMaxMs / 1000)} s, ` +
      `a keepalive interval (${KEEPALIVE_SECONDS} s) or more`);
  }
  if (reflector.errors.length > 0) warnings.push(`${implementation} run ${sample.run}: sessions went down: ${reflector.errors.join('; ')}`);
  return warnings;
}

function seconds(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function megabytes(octets: number): string {
  const value = octets / 1e6;
  return value < 1 ? value.toFixed(3) : value.toFixed(1);
}

function milliseconds(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

interface Row {
  figure: string;
  value: (summary: Summary) => number | undefined;
  format: (value: number) => string;
  /** Whether the ts/native ratio means anything for this figure. */
  ratio: boolean;
}

const ROWS: Row[] = [
  { figure: 'all sessions Established (s)', value: (s) => s.establishedSeconds, format: seconds, ratio: true },
  { figure: 'full convergence (s)', value: (s) => s.convergedSeconds, format: seconds, ratio: true },
  { figure: 'UPDATEs sent by Porter', value: (s) => s.updates, format: count, ratio: true },
  { figure: 'UPDATE MB sent by Porter', value: (s) => s.updateOctets, format: megabytes, ratio: true },
  { figure: 'Porter CPU (s, user+system)', value: (s) => s.reflectorCpuSeconds, format: seconds, ratio: true },
  { figure: 'tester CPU (s, user+system)', value: (s) => s.testerCpuSeconds, format: seconds, ratio: false },
  { figure: 'Porter peak RSS (MB)', value: (s) => s.peakRssBytes, format: megabytes, ratio: true },
  { figure: 'Porter peak heap used (MB)', value: (s) => s.peakHeapBytes, format: megabytes, ratio: true },
  { figure: 'longest event-loop stall (ms)', value: (s) => s.loopDelayMaxMs, format: milliseconds, ratio: true },
  { figure: 'event-loop delay p99 (ms)', value: (s) => s.loopDelayP99Ms, format: milliseconds, ratio: true },
  { figure: 'own prefixes reflected back', value: (s) => s.ownPrefixesReflected, format: count, ratio: false },
  { figure: 'listen queue overflows (kernel)', value: (s) => s.listenOverflows, format: count, ratio: false },
  { figure: 'SYNs sent again (kernel)', value: (s) => s.synRetransmits, format: count, ratio: false },
];

export function renderReflectorPeersResults(results: ReflectorPeersResults): string {
  const implementations = (['ts', 'native'] as const).filter((name) => results.implementations[name] !== undefined);
  const both = implementations.length === 2;
  const headers = ['figure (median)', ...implementations, ...(both ? ['ts/native'] : [])];
  const rows = ROWS.flatMap((row) => {
    const values = implementations.map((name) => row.value(results.implementations[name]!.median));
    if (values.some((value) => value === undefined)) return [];
    const [first, second] = values as number[];
    const cells = [row.figure, ...(values as number[]).map(row.format)];
    if (both) cells.push(row.ratio && second > 0 ? `${(first / second).toFixed(2)}×` : '');
    return [cells];
  });
  const lines = [markdownTable(headers, rows, headers.map((_, column) => column > 0))];
  lines.push('');
  for (const name of implementations) {
    const summary = results.implementations[name]!.median;
    const share = (summary.loopDelayMaxMs / (KEEPALIVE_SECONDS * 1000)) * 100;
    lines.push(`- ${name}: longest stall ${milliseconds(summary.loopDelayMaxMs)} ms, ${share.toFixed(2)}% of the ` +
      `${KEEPALIVE_SECONDS} s keepalive interval (hold time ${results.holdTime} s); tester CPU ` +
      `${((summary.testerCpuSeconds / summary.convergedSeconds) * 100).toFixed(0)}% of the convergence time.`);
  }
  if (!results.native.available) lines.push(`- native codec not measured: ${results.native.error}`);
  for (const warning of results.warnings) lines.push(`- **warning**: ${warning}`);
  return lines.join('\n');
}
