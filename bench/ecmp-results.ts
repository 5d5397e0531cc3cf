/** What the ECMP benchmark records (`--json`), and the tables it prints and bench/README.md shows. */
import type { Environment } from './environment.ts';
import { markdownTable } from './markdown-table.ts';

export type EngineName = 'ts' | 'native';

export interface Timing {
  /** Nanoseconds of each timed run, in run order. */
  samplesNs: number[];
  medianNs: number;
}

export interface BatchCase {
  name: string;
  flows: number;
  /** Flows per second at the median run, per engine. */
  engines: Partial<Record<EngineName, Timing & { flowsPerSecond: number }>>;
  /** Whether both engines chose the same next hop for every flow; absent with one engine. */
  identical?: boolean;
}

export interface BuildCase {
  name: string;
  engines: Partial<Record<EngineName, Timing>>;
  identical?: boolean;
}

export interface DisruptionCase {
  policy: string;
  flows: number;
  /** Share of flows whose next hop changed, and of them those that were not on the leaver. */
  moved: number;
  movedBeyondOwn: number;
  /** Share of flows that were on the leaving next hop. */
  own: number;
}

export interface EcmpResults {
  benchmark: 'ecmp';
  environment: Environment;
  runs: number;
  quick: boolean;
  gcExposed: boolean;
  runOrder: string;
  native: { available: true } | { available: false; error: string };
  nextHops: number;
  batches: BatchCase[];
  builds: BuildCase[];
  disruption: DisruptionCase[];
  checksum: number;
}

/** The targets of docs/ecmp.md. */
export const TARGETS = { nativeFlowsPerSecond: 50e6, maglevBuildMs: 1.5, maglevBeyondOwn: 0.01 };

const significant = (value: number | undefined) => (value === undefined ? '-' : value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const percent = (value: number) => `${(value * 100).toFixed(3)}%`;
const agreement = (identical: boolean | undefined) => (identical === undefined ? '-' : identical ? 'yes' : '**NO**');

function batchTable(results: EcmpResults): string {
  const headers = ['batch selection (Maglev table)', 'flows', 'ts Mflow/s', 'native Mflow/s', 'native/ts', 'same indices'];
  const rows = results.batches.map((batch) => {
    const [ts, native] = [batch.engines.ts?.flowsPerSecond, batch.engines.native?.flowsPerSecond];
    return [
      batch.name,
      batch.flows.toLocaleString('en-US'),
      significant(ts && ts / 1e6),
      significant(native && native / 1e6),
      ts && native ? `${significant(native / ts)}×` : '-',
      agreement(batch.identical),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function buildTable(results: EcmpResults): string {
  const headers = ['table build', 'ts ms', 'native ms', 'native/ts', 'same table'];
  const rows = results.builds.map((build) => {
    const [ts, native] = [build.engines.ts?.medianNs, build.engines.native?.medianNs];
    return [
      build.name,
      significant(ts && ts / 1e6),
      significant(native && native / 1e6),
      ts && native ? `${significant(ts / native)}×` : '-',
      agreement(build.identical),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function disruptionTable(results: EcmpResults): string {
  const headers = [`one of ${results.nextHops} next hops leaves`, 'flows', 'on the leaver', 'moved', 'moved beyond the leaver\'s'];
  const rows = results.disruption.map((row) => [row.policy, row.flows.toLocaleString('en-US'), percent(row.own), percent(row.moved), percent(row.movedBeyondOwn)]);
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function targetSummary(results: EcmpResults): string {
  const lines: string[] = [];
  const native = results.batches.map((batch) => batch.engines.native?.flowsPerSecond).filter((rate): rate is number => rate !== undefined);
  if (native.length > 0) {
    const met = native.filter((rate) => rate >= TARGETS.nativeFlowsPerSecond).length;
    lines.push(`- Native batch selection ≥ 50M flows/s on one core: ${met} of ${native.length} cases (from ${significant(Math.min(...native) / 1e6)} to ${significant(Math.max(...native) / 1e6)} Mflow/s).`);
  } else {
    lines.push(`- Native engine unavailable: ${results.native.available ? 'no native cases' : results.native.error}.`);
  }
  const maglev = results.builds.find((build) => build.name.startsWith('Maglev'))?.engines.native?.medianNs;
  if (maglev !== undefined) lines.push(`- Native Maglev build < 1.5 ms: ${maglev / 1e6 < TARGETS.maglevBuildMs ? 'met' : 'missed'} (${significant(maglev / 1e6)} ms).`);
  for (const row of results.disruption) {
    if (row.policy.startsWith('resilient')) lines.push(`- Resilient: exactly the leaver's flows move: ${row.movedBeyondOwn === 0 ? 'yes' : '**NO**'} (${percent(row.moved)} moved).`);
    if (row.policy.startsWith('maglev')) lines.push(`- Maglev: at most 1% of flows move beyond the leaver's: ${row.movedBeyondOwn <= TARGETS.maglevBeyondOwn ? 'met' : 'missed'} (${percent(row.movedBeyondOwn)}).`);
  }
  return lines.join('\n');
}

/** The Markdown of the results, with a loud line when the engines disagreed. */
export function renderEcmpResults(results: EcmpResults): string {
  const sections = [batchTable(results), buildTable(results), disruptionTable(results), targetSummary(results)];
  const disagreements = [...results.batches, ...results.builds].filter((entry) => entry.identical === false).map((entry) => entry.name);
  if (disagreements.length > 0) sections.push(`**WARNING: the engines disagree on ${disagreements.join(', ')}; these numbers are suspect.**`);
  return sections.join('\n\n');
}
