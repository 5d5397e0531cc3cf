/** The command line every microbenchmark takes: `--runs N`, `--quick`, `--json FILE`, `--help`. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Timed runs per measurement; the median is reported. */
  runs: number;
  /** Small inputs, for a smoke test. */
  quick: boolean;
  /** Also write the results as JSON here. */
  json?: string;
}

/** Reads the options, or prints usage (exit 0) or the problem (exit 2). `quickMeans` fills the usage. */
export function benchOptions(name: string, quickMeans: string): BenchOptions {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(`usage: bench/${name}.ts [--runs N] [--quick] [--json FILE]\n` +
      '  --runs N     timed runs per measurement, median reported (default 5; at least 3 unless --quick)\n' +
      `  --quick      ${quickMeans}\n` +
      '  --json FILE  also write the results as JSON');
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  const problem =
    !Number.isInteger(runs) || runs < 1 ? `--runs must be a positive integer, not ${values.runs}`
    : runs < 3 && !quick ? '--runs below 3 gives no meaningful median; it is allowed only with --quick'
    : undefined;
  if (problem !== undefined) {
    console.error(`${name}: ${problem}`);
    process.exit(2);
  }
  return values.json === undefined ? { runs, quick } : { runs, quick, json: values.json };
}
