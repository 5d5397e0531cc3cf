/**
 * ECMP benchmark: batch next-hop selection of the TypeScript and native engines on the same flows
 * (flows per second on one core), table builds (Maglev M = 65,537 and resilient 65,536 buckets over
 * 1,000 next hops), and the flows that move when one of the 1,000 leaves. docs/ecmp.md and
 * bench/README.md explain it.
 *
 *   node --expose-gc --import tsx bench/ecmp.ts [--runs N] [--quick] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { benchOptions } from './options.ts';
import { selectEcmp, tsEcmp } from '../engine/ecmp/index.ts';
import { randomFlows } from '../engine/ecmp/random-flows.ts';
import type { EcmpEngine, FlowFamily, HashFields, NextHopGroup, PolicyConfig, PreviousTable, SelectionTable } from '../engine/ecmp/types.ts';
import { describeEnvironment, environmentLine } from './environment.ts';
import { renderEcmpResults, type BatchCase, type BuildCase, type DisruptionCase, type EcmpResults, type EngineName } from './ecmp-results.ts';
import { currentChecksum, gcExposed, keep, median, timeRun } from './measure.ts';

const RUN_ORDER =
  'per case: one untimed warm-up run per engine (which also feeds the identity check), then N rounds, ts first in even ' +
  'rounds and native first in odd rounds; table builds take at least 11 rounds; each batch writes into an output array ' +
  'allocated beforehand; garbage is collected before every timed run when --expose-gc is given';

const NEXT_HOPS = 1000;
const LEAVER = 500;
const MIN_BUILD_SAMPLES = 11;




/** Both engines, the native one through the selection the engine uses. */
function loadEngines(): { engines: EcmpEngine[]; native: EcmpResults['native'] } {
  try {
    return { engines: [tsEcmp, selectEcmp('native').engine], native: { available: true } };
  } catch (error) {
    return { engines: [tsEcmp], native: { available: false, error: (error as Error).message } };
  }
}

const group: NextHopGroup = {
  nextHops: Array.from({ length: NEXT_HOPS }, (_, i) => ({ name: `192.0.${2 + (i >> 8)}.${i & 255}`, weight: 1 })),
};
const rest: NextHopGroup = { nextHops: group.nextHops.filter((_, i) => i !== LEAVER) };

function table(engine: EcmpEngine, of: NextHopGroup, config: PolicyConfig, previous?: PreviousTable): SelectionTable {
  const built = engine.buildTable(of, config, previous);
  if (!built.ok) throw new Error(`${engine.name} cannot build ${config.policy}: ${built.error}`);
  return built.value;
}

const same = (a: Uint32Array, b: Uint32Array) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Rounds of `run` per engine, alternating which goes first; the warm-up results are compared. */
function rounds<T>(engines: EcmpEngine[], count: number, run: (engine: EcmpEngine) => T, observe: (result: T) => number,
  output: (result: T) => Uint32Array): { samples: Map<EngineName, number[]>; identical?: boolean } {
  const warm = engines.map((engine) => output(run(engine)).slice());
  const samples = new Map<EngineName, number[]>(engines.map((engine) => [engine.name, []]));
  for (let round = 0; round < count; round++) {
    for (const engine of round % 2 === 0 ? engines : [...engines].reverse()) samples.get(engine.name)!.push(timeRun(() => run(engine), observe));
  }
  return { samples, identical: warm.length === 2 ? same(warm[0], warm[1]) : undefined };
}

function batchCase(engines: EcmpEngine[], family: FlowFamily, fields: HashFields, count: number, runs: number): BatchCase {
  const maglev = table(tsEcmp, group, { policy: 'maglev' });
  const flows = randomFlows(family, count, family === 'ipv4' ? 4 : 6);
  const hash = { fields, seed: 0x5eed };
  const outputs = new Map(engines.map((engine) => [engine.name, new Uint32Array(count)]));
  const { samples, identical } = rounds(engines, runs,
    (engine) => engine.selectBatch(maglev, flows, hash, outputs.get(engine.name)),
    (out) => out[0] + out[count - 1], (out) => out);
  const result: BatchCase = { name: `${family === 'ipv4' ? 'IPv4' : 'IPv6'} ${fields}`, flows: count, engines: {}, identical };
  for (const [name, runSamples] of samples) {
    const medianNs = median(runSamples);
    result.engines[name] = { samplesNs: runSamples, medianNs, flowsPerSecond: count / (medianNs / 1e9) };
  }
  return result;
}

function buildCase(engines: EcmpEngine[], name: string, runs: number, build: (engine: EcmpEngine) => SelectionTable): BuildCase {
  const { samples, identical } = rounds(engines, Math.max(runs, MIN_BUILD_SAMPLES), build,
    (built) => built.entries[0] + built.entries.length, (built) => built.entries);
  const result: BuildCase = { name, engines: {}, identical };
  for (const [engine, runSamples] of samples) result.engines[engine] = { samplesNs: runSamples, medianNs: median(runSamples) };
  return result;
}

function disruption(engine: EcmpEngine, count: number): DisruptionCase[] {
  const flows = randomFlows('ipv4', count, 9);
  const hash = { fields: 'five-tuple' as const, seed: 0 };
  const configs: [string, PolicyConfig][] = [
    ['modulo', { policy: 'modulo' }],
    ['resilient, 65,536 buckets', { policy: 'resilient', size: 65_536 }],
    ['maglev, M = 65,537', { policy: 'maglev', size: 65_537 }],
  ];
  return configs.map(([policy, config]) => {
    const before = table(engine, group, config);
    const after = table(engine, rest, config, { group, table: before.entries });
    const [was, is] = [engine.selectBatch(before, flows, hash), engine.selectBatch(after, flows, hash)];
    let [own, moved, beyond] = [0, 0, 0];
    for (let i = 0; i < count; i++) {
      const stayed = group.nextHops[was[i]].name === rest.nextHops[is[i]].name;
      if (was[i] === LEAVER) own++;
      if (!stayed) moved++;
      if (!stayed && was[i] !== LEAVER) beyond++;
    }
    keep(moved);
    return { policy, flows: count, own: own / count, moved: moved / count, movedBeyondOwn: beyond / count };
  });
}

function main(): void {
  const options = benchOptions('ecmp', 'small batches, for a smoke test');
  const environment = describeEnvironment();
  const { engines, native } = loadEngines();
  console.log(`ecmp: ${environmentLine(environment)}`);
  console.log(`median of ${options.runs} run(s)${options.quick ? ', quick sizes' : ''}; run order: ${RUN_ORDER}`);
  if (!gcExposed) console.log('note: node runs without --expose-gc, so a timed run may pay for an earlier run\'s garbage');
  if (!native.available) console.log(`note: ${native.error}; measuring ts only`);

  const flows = options.quick ? 100_000 : 2_000_000;
  const batches: BatchCase[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const fields of ['five-tuple', 'l3'] as const) batches.push(batchCase(engines, family, fields, flows, options.runs));
  }
  const builds = [
    buildCase(engines, 'Maglev, M = 65,537, 1,000 next hops', options.runs, (engine) => table(engine, group, { policy: 'maglev' })),
    buildCase(engines, 'resilient, 65,536 buckets, 1,000 next hops', options.runs, (engine) => table(engine, group, { policy: 'resilient' })),
  ];
  const initial = table(tsEcmp, group, { policy: 'resilient' });
  builds.push(buildCase(engines, 'resilient rebuild, one of 1,000 leaves', options.runs,
    (engine) => table(engine, rest, { policy: 'resilient' }, { group, table: initial.entries })));
  const disruptionCases = disruption(engines[engines.length - 1], options.quick ? 100_000 : 1_000_000);

  const results: EcmpResults = {
    benchmark: 'ecmp',
    environment,
    runs: options.runs,
    quick: options.quick,
    gcExposed,
    runOrder: RUN_ORDER,
    native,
    nextHops: NEXT_HOPS,
    batches,
    builds,
    disruption: disruptionCases,
    checksum: currentChecksum(),
  };
  console.log(`\n${renderEcmpResults(results)}\n\nchecksum ${results.checksum}`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
}

main();
