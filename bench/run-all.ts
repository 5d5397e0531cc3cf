/**
 * `npm run bench`: runs every benchmark, each in its own node process (a fresh heap and JIT, with
 * --expose-gc), then rewrites the results section of bench/README.md from their JSON results.
 *
 *   node --import tsx bench/run-all.ts [--runs N] [--quick] [--only NAME,...]
 *
 * `--quick` is a smoke test: the results are printed and README.md is left alone. `--only` runs the
 * named benchmarks and replaces their subsections, keeping the others' results as they were.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeEnvironment, loadAverage, type Environment } from './environment.ts';
import { renderEcmpResults, type EcmpResults } from './ecmp-results.ts';
import { renderPoolResults, type PoolResults } from './pool-results.ts';
import { renderRankingResults, type RankingResults } from './ranking-results.ts';
import { renderReflectorPeersResults, type ReflectorPeersResults } from './reflector-peers-results.ts';
import { renderScaleResults, type ScaleResults } from './scale/results.ts';
import { renderWireCodecResults, type WireCodecResults } from './wire-codec-results.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = join(root, 'bench', 'README.md');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

interface Benchmark {
  name: string;
  script: string;
  /** The Markdown for README.md from the benchmark's JSON results. */
  render(results: unknown): string;
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'wire-codec',
    script: 'bench/wire-codec.ts',
    render: (results) => {
      const wire = results as WireCodecResults;
      return `Median of ${wire.runs} runs after one warm-up run. Run order: ${wire.runOrder}.\n\n${renderWireCodecResults(wire)}`;
    },
  },
  {
    name: 'reflector-peers',
    script: 'bench/reflector-peers.ts',
    render: (results) => {
      const reflector = results as ReflectorPeersResults;
      return `${reflector.peers} route reflector clients × ${reflector.prefixes} /32s; median of ${reflector.runs} runs per codec. ` +
        `Run order: ${reflector.runOrder}.\n\n${renderReflectorPeersResults(reflector)}`;
    },
  },
  {
    name: 'ecmp',
    script: 'bench/ecmp.ts',
    render: (results) => {
      const ecmp = results as EcmpResults;
      return `Median of ${ecmp.runs} runs after one warm-up run. Run order: ${ecmp.runOrder}.\n\n${renderEcmpResults(ecmp)}`;
    },
  },
  {
    name: 'pool',
    script: 'bench/pool.ts',
    render: (results) => {
      const pool = results as PoolResults;
      return `Median of ${pool.runs} runs. Run order: ${pool.runOrder}.\n\n${renderPoolResults(pool)}`;
    },
  },
  {
    name: 'ranking',
    script: 'bench/ranking.ts',
    render: (results) => {
      const ranking = results as RankingResults;
      return `Median of ${ranking.runs} runs after one warm-up run per runner. Run order: ${ranking.runOrder}.\n\n${renderRankingResults(ranking)}`;
    },
  },
  {
    name: 'scale',
    script: 'bench/scale/run.ts',
    render: (results) => renderScaleResults(results as ScaleResults),
  },
];

function runBenchmark(benchmark: Benchmark, passThrough: string[], directory: string): string {
  const json = join(directory, `${benchmark.name}.json`);
  console.log(`\n===== ${benchmark.name} =====`);
  const started = describeEnvironment();
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', benchmark.script, ...passThrough, '--json', json], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`${benchmark.name} exited with ${run.status ?? run.signal}`);
  const results = benchmark.render(JSON.parse(readFileSync(json, 'utf8')));
  const when = `_Run on ${started.date} at commit ${started.commit}; load average ${started.loadAverage.join(', ')} at the start, ` +
    `${loadAverage().join(', ')} at the end._`;
  return `### ${benchmark.name}\n\n${when}\n\n${results}\n`;
}

/** The subsections of the results section now in README.md, by benchmark name. */
function currentSubsections(section: string): Map<string, string> {
  const subsections = new Map<string, string>();
  for (const part of section.split(/^(?=### )/m).slice(1)) subsections.set(part.slice(4, part.indexOf('\n')).trim(), `${part.trimEnd()}\n`);
  return subsections;
}

function resultsSection(environment: Environment, subsections: string[]): string {
  const memory = (environment.memoryBytes / 2 ** 30).toFixed(1);
  return [
    START,
    '_Written by `npm run bench`; do not edit by hand._',
    '',
    `- Machine: ${environment.cpuModel} (/proc/cpuinfo), ${environment.cores} cores, ${memory} GiB memory, ${environment.kernel}`,
    `- Toolchain: Node ${environment.node}, ${environment.rustc}`,
    '',
    ...subsections,
    END,
  ].join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } } });
  const passThrough = [...(values.runs ? ['--runs', values.runs] : []), ...(values.quick ? ['--quick'] : [])];
  const only = values.only?.split(',');
  const unknown = only?.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: no benchmark named ${unknown.join(', ')}`);
  const selected = BENCHMARKS.filter((benchmark) => only === undefined || only.includes(benchmark.name));

  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`bench/README.md lacks the ${START} ... ${END} markers`);
  const subsections = currentSubsections(text.slice(start + START.length, end));

  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-'));
  try {
    for (const benchmark of selected) subsections.set(benchmark.name, runBenchmark(benchmark, passThrough, directory));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  if (values.quick) {
    console.log('\n--quick: bench/README.md left unchanged');
    return;
  }
  const ordered = BENCHMARKS.flatMap((benchmark) => subsections.get(benchmark.name) ?? []);
  writeFileSync(readme, text.slice(0, start) + resultsSection(describeEnvironment(), ordered) + text.slice(end + END.length));
  console.log(`\nbench/README.md results rewritten for ${selected.map((benchmark) => benchmark.name).join(', ')}`);
}

main();
