/** What the wire codec benchmark records (`--json`), and the tables it prints and bench/README.md shows. */
import type { Environment } from './environment.ts';
import { markdownTable } from './markdown-table.ts';
import { median } from './measure.ts';
import type { BenchFamily } from './wire-route-sets.ts';

export type CodecName = 'ts' | 'native';

export interface Timing {
  /** Nanoseconds of each timed run, in run order. */
  samplesNs: number[];
  medianNs: number;
  /** Octets of UPDATE messages per second at the median, in MB (10^6 octets). */
  megabytesPerSecond: number;
}

export interface CodecTiming extends Timing {
  prefixesPerSecond: number;
}

export interface WireCaseResult {
  name: string;
  family: BenchFamily;
  routeCount: number;
  setCount: number;
  /** Size of the encoded UPDATE messages, which decode reads back. */
  updateOctets: number;
  messages: number;
  /** Whether both codecs encoded identical bytes and decoded them to identical values; absent with one codec. */
  identical?: { encode: boolean; decode: boolean };
  /** Problems found in the untimed checks: a codec that lost routes or reported errors, or disagreements. */
  warnings: string[];
  /** Copying `updateOctets` octets into a buffer touched beforehand: the machine's memcpy rate. */
  memcpy: Timing;
  /** Copying them into a newly allocated buffer: memcpy plus allocation and first touch of the pages. */
  memcpyNewBuffer: Timing;
  codecs: Partial<Record<CodecName, { encode: CodecTiming; decode: CodecTiming }>>;
}

export interface WireCodecResults {
  benchmark: 'wire-codec';
  environment: Environment;
  runs: number;
  quick: boolean;
  gcExposed: boolean;
  /** How timed runs were ordered, which matters when the machine's speed drifts. */
  runOrder: string;
  native: { available: true } | { available: false; error: string };
  cases: WireCaseResult[];
  /** Folds every result, so that none could be optimised away. It depends only on the outputs, so it changes only when they do. */
  checksum: number;
}

/** The targets the native codec is held to. */
export const TARGETS = { encodeVersusMemcpy: 3, nativeVersusTs: 10 };

export function renderWireCodecResults(results: WireCodecResults): string {
  const sections = [encodeTable(results.cases), decodeTable(results.cases), copyTable(results.cases), `${targetSummary(results)}\n${noiseSummary(results)}`];
  const warnings = results.cases.flatMap((result) => result.warnings.map((warning) => `- **${result.name}**: ${warning}`));
  if (warnings.length > 0) sections.push(`**WARNING: the checks found problems; these numbers are suspect.**\n\n${warnings.join('\n')}`);
  return sections.join('\n\n');
}

/** Every failed untimed check, loud enough to be seen in a terminal. */
export function renderWarnings(results: WireCodecResults): string {
  const warnings = results.cases.flatMap((result) => result.warnings.map((warning) => `${result.name}: ${warning}`));
  if (warnings.length === 0) return '';
  const bar = '!'.repeat(78);
  return [bar, '!!! WARNING: the codecs disagree or misbehave; the numbers above are suspect:', ...warnings.map((w) => `!!! ${w}`), bar].join('\n');
}

function encodeTable(cases: WireCaseResult[]): string {
  const headers = ['encodeRoutes', 'UPDATEs', 'MB', 'ts Mprefix/s', 'native Mprefix/s', 'native/ts', 'ts MB/s', 'native MB/s', 'same bytes'];
  const rows = cases.map((result) => {
    const ts = result.codecs.ts?.encode;
    const native = result.codecs.native?.encode;
    return [
      result.name,
      String(result.messages),
      significant(result.updateOctets / 1e6),
      mega(ts?.prefixesPerSecond),
      mega(native?.prefixesPerSecond),
      times(ratio(native?.prefixesPerSecond, ts?.prefixesPerSecond)),
      significant(ts?.megabytesPerSecond),
      significant(native?.megabytesPerSecond),
      agreement(result.identical?.encode),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

/** Encode time as a multiple of the time to copy its output: 1 would be as fast as memcpy. */
function copyTable(cases: WireCaseResult[]): string {
  const headers = ['encode against memcpy', 'memcpy MB/s', 'into new buffer MB/s', 'ts ÷ memcpy', 'native ÷ memcpy', 'native ÷ into new buffer'];
  const rows = cases.map((result) => {
    const ts = result.codecs.ts?.encode;
    const native = result.codecs.native?.encode;
    return [
      result.name,
      significant(result.memcpy.megabytesPerSecond),
      significant(result.memcpyNewBuffer.megabytesPerSecond),
      times(ratio(ts?.medianNs, result.memcpy.medianNs)),
      times(ratio(native?.medianNs, result.memcpy.medianNs)),
      times(ratio(native?.medianNs, result.memcpyNewBuffer.medianNs)),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function decodeTable(cases: WireCaseResult[]): string {
  const headers = ['decodeRoutes', 'ts Mprefix/s', 'native Mprefix/s', 'native/ts', 'ts MB/s', 'native MB/s', 'same values'];
  const rows = cases.map((result) => {
    const ts = result.codecs.ts?.decode;
    const native = result.codecs.native?.decode;
    return [
      result.name,
      mega(ts?.prefixesPerSecond),
      mega(native?.prefixesPerSecond),
      times(ratio(native?.prefixesPerSecond, ts?.prefixesPerSecond)),
      significant(ts?.megabytesPerSecond),
      significant(native?.megabytesPerSecond),
      agreement(result.identical?.decode),
    ];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

function targetSummary(results: WireCodecResults): string {
  if (!results.native.available) return `Native codec unavailable (${results.native.error}): no ratios.`;
  const cases = results.cases.filter((result) => result.codecs.ts && result.codecs.native);
  const versusMemcpy = cases.map((result) => result.codecs.native!.encode.medianNs / result.memcpy.medianNs);
  const encodeSpeedup = cases.map((result) => result.codecs.ts!.encode.medianNs / result.codecs.native!.encode.medianNs);
  const decodeSpeedup = cases.map((result) => result.codecs.ts!.decode.medianNs / result.codecs.native!.decode.medianNs);
  const met = (values: number[], pass: (value: number) => boolean) => `${values.filter(pass).length} of ${values.length} cases`;
  return [
    `- Native encode within ${TARGETS.encodeVersusMemcpy}× of memcpy: ${met(versusMemcpy, (v) => v <= TARGETS.encodeVersusMemcpy)} ` +
      `(from ${times(Math.min(...versusMemcpy))} to ${times(Math.max(...versusMemcpy))}).`,
    `- Native encode ≥ ${TARGETS.nativeVersusTs}× TS: ${met(encodeSpeedup, (v) => v >= TARGETS.nativeVersusTs)} ` +
      `(from ${times(Math.min(...encodeSpeedup))} to ${times(Math.max(...encodeSpeedup))}).`,
    `- Native decode ≥ ${TARGETS.nativeVersusTs}× TS: ${met(decodeSpeedup, (v) => v >= TARGETS.nativeVersusTs)} ` +
      `(from ${times(Math.min(...decodeSpeedup))} to ${times(Math.max(...decodeSpeedup))}).`,
  ].join('\n');
}

/** How far apart the runs of one measurement were: slowest over fastest, the widest and the typical. */
function noiseSummary(results: WireCodecResults): string {
  const spreads = results.cases.flatMap((result) =>
    Object.entries(result.codecs).flatMap(([codec, timings]) =>
      (['encode', 'decode'] as const).map((operation) => ({
        what: `${codec} ${operation}, ${result.name}`,
        spread: Math.max(...timings[operation].samplesNs) / Math.min(...timings[operation].samplesNs),
      })),
    ),
  );
  if (spreads.length === 0 || results.runs < 2) return '- Spread of runs: one run each, none to compare.';
  const widest = spreads.reduce((a, b) => (b.spread > a.spread ? b : a));
  const typical = median(spreads.map(({ spread }) => spread));
  return `- Spread of runs (slowest over fastest run of one measurement): median ${times(typical)}, widest ${times(widest.spread)} (${widest.what}).`;
}

function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  return numerator === undefined || denominator === undefined ? undefined : numerator / denominator;
}

function mega(perSecond: number | undefined): string {
  return perSecond === undefined ? '—' : significant(perSecond / 1e6);
}

function times(value: number | undefined): string {
  return value === undefined ? '—' : `${significant(value)}×`;
}

function agreement(identical: boolean | undefined): string {
  if (identical === undefined) return '—';
  return identical ? 'yes' : '**NO**';
}

/** Three significant digits at most, without exponents. */
function significant(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}
