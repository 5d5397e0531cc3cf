/**
 * `npm run bench`: runs every benchmark, each in its own node process (a fresh heap and JIT, with
 * --expose-gc), then rewrites the results section of bench/README.md from their JSON results.
 *
 *   node --import tsx bench/run-all.ts [--runs N] [--quick]
 *
 * `--quick` is a smoke test: the results are printed and README.md is left alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeEnvironment, loadAverage, type Environment } from './environment.ts';
import { renderReflectorPeersResults, type ReflectorPeersResults } from './reflector-peers-results.ts';
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
];

function runBenchmark(benchmark: Benchmark, passThrough: string[], directory: string): unknown {
  const json = join(directory, `${benchmark.name}.json`);
  console.log(`\n===== ${benchmark.name} =====`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', benchmark.script, ...passThrough, '--json', json], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`${benchmark.name} exited with ${run.status ?? run.signal}`);
  return JSON.parse(readFileSync(json, 'utf8'));
}

function resultsSection(environment: Environment, loadAtEnd: number[], sections: string[]): string {
  const memory = (environment.memoryBytes / 2 ** 30).toFixed(1);
  return [
    START,
    `_Written by \`npm run bench\` on ${environment.date}; do not edit by hand._`,
    '',
    `- Machine: ${environment.cpuModel} (/proc/cpuinfo), ${environment.cores} cores, ${memory} GiB memory, ${environment.kernel}; ` +
      `load average ${environment.loadAverage.join(', ')} at the start, ${loadAtEnd.join(', ')} at the end`,
    `- Toolchain: Node ${environment.node}, ${environment.rustc}`,
    `- Tree: commit ${environment.commit}`,
    '',
    ...sections,
    END,
  ].join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, quick: { type: 'boolean' } } });
  const passThrough = [...(values.runs ? ['--runs', values.runs] : []), ...(values.quick ? ['--quick'] : [])];
  const environment = describeEnvironment();
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-bench-'));
  try {
    const sections = BENCHMARKS.map((benchmark) => `### ${benchmark.name}\n\n${benchmark.render(runBenchmark(benchmark, passThrough, directory))}\n`);
    if (values.quick) {
      console.log('\n--quick: bench/README.md left unchanged');
      return;
    }
    const text = readFileSync(readme, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) throw new Error(`bench/README.md lacks the ${START} ... ${END} markers`);
    writeFileSync(readme, text.slice(0, start) + resultsSection(environment, loadAverage(), sections) + text.slice(end + END.length));
    console.log('\nbench/README.md results section rewritten');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main();
