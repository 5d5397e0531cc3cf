/**
 * Worker pool benchmark (engine/pool, docs/pool.md): bulk decode and encode throughput with one and
 * two worker threads against the main thread alone (native and TypeScript) and against one and two
 * bare threads, the machine's ceiling (bare-threads.ts); the crossover batch
 * sizes below which the pool costs the main thread more than the batch itself; and the longest
 * main-thread stall while one big batch runs in the pool or on the main thread.
 *
 *   node --expose-gc --import tsx bench/pool.ts [--runs N] [--quick] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BareThreads, type BareTask } from './bare-threads.ts';
import { benchOptions } from './options.ts';
import { selectEcmp, tsEcmp, type EcmpEngine, type SelectionTable } from '../engine/ecmp/index.ts';
import { randomFlows } from '../engine/ecmp/random-flows.ts';
import { EnginePool } from '../engine/pool/index.ts';
import { rankBatch } from '../engine/pool/rank-batch.ts';
import { must, rankBatchOf } from '../engine/pool/testing.ts';
import type { PoolResult, PoolTask } from '../engine/pool/types.ts';
import { selectCodec, tsCodec } from '../engine/wire/index.ts';
import type { AttributeSet, RouteColumns, WireCodec } from '../engine/wire/types.ts';
import { describeEnvironment, environmentLine } from './environment.ts';
import { collectGarbage, gcExposed, median } from './measure.ts';
import {
  renderPoolResults, type CrossoverCase, type CrossoverStep, type PoolResults, type Runner, type StallCase, type ThroughputCase,
} from './pool-results.ts';
import { buildAttributeSets, buildRouteColumns } from './wire-route-sets.ts';
import { stallProbe } from './stall-probe.ts';

const RUN_ORDER =
  'throughput: one untimed warm-up round (which also checks every runner\'s results against the main thread\'s), then N ' +
  'rounds of every runner, the order rotating by round; each run gets fresh copies of its batches, made before its clock ' +
  'starts, and all of a pool run\'s batches are queued at once; bare threads hold their share of the batches from before the ' +
  'first round and run it again each time (the codec does not change its input); crossover: per size, inline runs timed one by one (median), ' +
  'pool batches sent one at a time to one warm worker, the main thread\'s share read from event-loop utilisation; ' +
  'garbage is collected before every timed run when --expose-gc is given';

const ALL_TO_POOL: Record<PoolTask, number> = { 'decode-routes': 0, 'encode-routes': 0, 'rank-destinations': 0, 'hash-flows': 0 };
function poolOf(threads: number): EnginePool {
  const made = EnginePool.create({ mode: 'auto', threads, implementation: 'auto' }, { crossover: ALL_TO_POOL });
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

function copyColumns(routes: RouteColumns): RouteColumns {
  return { count: routes.count, family: routes.family.slice(), prefixLength: routes.prefixLength.slice(), address: routes.address.slice(),
    pathId: routes.pathId.slice(), attributeSet: routes.attributeSet.slice() };
}

/** Routes `start .. start + count` of a route set, in buffers of their own. */
function sliceColumns(routes: RouteColumns, start: number, count: number): RouteColumns {
  return { count, family: routes.family.slice(start, start + count), prefixLength: routes.prefixLength.slice(start, start + count),
    address: routes.address.slice(start * 16, (start + count) * 16), pathId: routes.pathId.slice(start, start + count),
    attributeSet: routes.attributeSet.slice(start, start + count) };
}

/** A comparable digest of a batch's answer. */
function digest(value: Uint8Array | { routes: RouteColumns; attributeSets: AttributeSet[] }): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const { routes } = value;
  return JSON.stringify([routes.count, [...routes.address].join(), [...routes.attributeSet].join(), value.attributeSets]);
}

/** IPv4 /32s over 100 attribute sets, as the wire-codec benchmark builds them, cut into batches. */
function workload(routes: number, batchSize: number, codec: WireCodec) {
  const spec = { name: '', family: 'ipv4-unicast' as const, routeCount: routes, setCount: 100 };
  const all = buildRouteColumns(spec);
  const sets = buildAttributeSets(spec, 0);
  const batches = Array.from({ length: Math.ceil(routes / batchSize) }, (_, b) => sliceColumns(all, b * batchSize, Math.min(batchSize, routes - b * batchSize)));
  const bursts = batches.map((batch) => codec.encodeRoutes(batch, sets));
  return { sets, batches, bursts };
}

async function throughputCase(task: 'decodeRoutes' | 'encodeRoutes', routes: number, batchSize: number, runs: number,
  codecs: WireCodec[], pools: Map<Runner, EnginePool>): Promise<ThroughputCase> {
  const codec = codecs[codecs.length - 1];
  const { sets, batches, bursts } = workload(routes, batchSize, codec);
  const bareWork: BareTask = task === 'encodeRoutes' ? { task, batches, sets } : { task, batches: bursts };
  const bare = new Map<Runner, BareThreads>([
    ['bare threads, 1', await BareThreads.start(1, bareWork, codec.name)],
    ['bare threads, 2', await BareThreads.start(2, bareWork, codec.name)],
  ]);
  const runners: Runner[] = [
    ...pools.keys(), ...bare.keys(), ...codecs.map((codec): Runner => (codec.name === 'native' ? 'main thread, native' : 'main thread, ts')),
  ];
  const run = async (runner: Runner): Promise<{ ns: number; digests?: string[] }> => {
    const threads = bare.get(runner);
    if (threads !== undefined) return { ns: await threads.run() };
    const inputs = task === 'encodeRoutes' ? batches.map(copyColumns) : bursts.map((burst) => burst.slice());
    collectGarbage();
    const start = process.hrtime.bigint();
    let answers: (Uint8Array | { routes: RouteColumns; attributeSets: AttributeSet[] })[];
    const pool = pools.get(runner);
    if (pool !== undefined) {
      answers = task === 'encodeRoutes'
        ? (await Promise.all(inputs.map((input) => pool.encodeRoutes(input as RouteColumns, sets)))).map(must)
        : (await Promise.all(inputs.map((input) => pool.decodeRoutes(input as Uint8Array)))).map(must);
    } else {
      const codec = codecs.find((candidate) => runner.endsWith(candidate.name)) as WireCodec;
      answers = inputs.map((input) => (task === 'encodeRoutes' ? codec.encodeRoutes(input as RouteColumns, sets) : codec.decodeRoutes(input as Uint8Array)));
    }
    const ns = Number(process.hrtime.bigint() - start);
    return { ns, digests: answers.map(digest) };
  };
  try {
    const reference = (await run(runners[runners.length - 1])).digests!;
    let identical = true;
    for (const runner of runners) identical &&= (await run(runner)).digests?.every((d, i) => d === reference[i]) ?? true;
    const samplesNs: Partial<Record<Runner, number[]>> = Object.fromEntries(runners.map((runner) => [runner, []]));
    const [ratios, bareRatios]: number[][] = [[], []];
    for (let round = 0; round < runs; round++) {
      const order = runners.map((_, i) => runners[(i + round) % runners.length]);
      const ns = new Map<Runner, number>();
      for (const runner of order) ns.set(runner, (await run(runner)).ns);
      for (const [runner, value] of ns) samplesNs[runner]!.push(value);
      ratios.push(ns.get('pool, 1 thread')! / ns.get('pool, 2 threads')!);
      bareRatios.push(ns.get('bare threads, 1')! / ns.get('bare threads, 2')!);
    }
    const routesPerSecond = Object.fromEntries(Object.entries(samplesNs).map(([runner, samples]) => [runner, routes / (median(samples) / 1e9)]));
    return {
      task, routes, batches: batches.length, samplesNs, routesPerSecond, twoOverOne: median(ratios), bareTwoOverOne: median(bareRatios), identical,
    };
  } finally {
    for (const threads of bare.values()) await threads.close();
  }
}

/** Median microseconds of `run` (synchronous), repeated until about 50 ms or 201 runs have passed, at least 5. */
function inlineUs(run: () => unknown): number {
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < 5 || (spent < 50e6 && samples.length < 201)) {
    const start = process.hrtime.bigint();
    run();
    const ns = Number(process.hrtime.bigint() - start);
    samples.push(ns);
    spent += ns;
  }
  return median(samples) / 1e3;
}

/** The main thread's active microseconds and the wall microseconds per batch, over `inputs` sent one at a time. */
async function poolUs<T>(inputs: T[], send: (input: T) => Promise<PoolResult<unknown>>): Promise<{ main: number; roundTrip: number }> {
  collectGarbage();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  for (const input of inputs) must(await send(input));
  const wall = performance.now() - start;
  const used = performance.eventLoopUtilization(elu);
  return { main: (used.active * 1e3) / inputs.length, roundTrip: (wall * 1e3) / inputs.length };
}

interface CrossoverTask<T> {
  task: CrossoverCase['task'];
  unit: string;
  ladder: number[];
  /** The batch of one ladder step and its size in `unit`. */
  input(step: number): { size: number; make: () => T };
  inline: { native?: (input: T) => unknown; ts: (input: T) => unknown };
  send(pool: EnginePool, input: T): Promise<PoolResult<unknown>>;
}

async function crossoverCase<T>(spec: CrossoverTask<T>, pool: EnginePool): Promise<CrossoverCase> {
  const steps: CrossoverStep[] = [];
  for (const step of spec.ladder) {
    const { size, make } = spec.input(step);
    const sample = make();
    const inline = { ts: inlineUs(() => spec.inline.ts(sample)), ...(spec.inline.native && { native: inlineUs(() => spec.inline.native!(sample)) }) };
    const count = Math.max(20, Math.min(200, Math.round(2e6 / Math.max(size, 1))));
    await poolUs(Array.from({ length: 5 }, make), (input) => spec.send(pool, input));
    const measured = await poolUs(Array.from({ length: count }, make), (input) => spec.send(pool, input));
    steps.push({ size, inlineUs: inline, poolMainUs: measured.main, poolRoundTripUs: measured.roundTrip });
  }
  const from = (which: 'native' | 'ts'): number | null => {
    if (steps.every((step) => step.inlineUs[which] === undefined)) return null;
    const first = steps.findIndex((_, i) => steps.slice(i).every((step) => step.poolMainUs < (step.inlineUs[which] ?? Infinity)));
    return first < 0 ? null : steps[first].size;
  };
  return { task: spec.task, unit: spec.unit, steps, crossover: { native: from('native'), ts: from('ts') } };
}

function crossoverTasks(quick: boolean, native: WireCodec | undefined, ecmp: EcmpEngine | undefined) {
  const routeLadder = quick ? [64, 1024, 16_384] : [64, 256, 1024, 4096, 16_384, 65_536];
  const spec = (routes: number) => ({ name: '', family: 'ipv4-unicast' as const, routeCount: routes, setCount: 100 });
  const table = (() => {
    const built = tsEcmp.buildTable({ nextHops: Array.from({ length: 64 }, (_, i) => ({ name: `n${i}`, weight: 1 })) }, { policy: 'maglev' });
    if (!built.ok) throw new Error(built.error);
    return built.value as SelectionTable;
  })();
  const hash = { fields: 'five-tuple' as const, seed: 1 };
  const decode: CrossoverTask<Uint8Array> = {
    task: 'decode-routes', unit: 'bytes', ladder: routeLadder,
    input: (routes) => {
      const bytes = tsCodec.encodeRoutes(buildRouteColumns(spec(routes)), buildAttributeSets(spec(routes), 0));
      return { size: bytes.length, make: () => bytes.slice() };
    },
    inline: { ts: (bytes) => tsCodec.decodeRoutes(bytes), ...(native && { native: (bytes: Uint8Array) => native.decodeRoutes(bytes) }) },
    send: (pool, bytes) => pool.decodeRoutes(bytes),
  };
  const encode: CrossoverTask<{ columns: RouteColumns; sets: AttributeSet[] }> = {
    task: 'encode-routes', unit: 'routes', ladder: routeLadder,
    input: (routes) => {
      const [columns, sets] = [buildRouteColumns(spec(routes)), buildAttributeSets(spec(routes), 0)];
      return { size: routes, make: () => ({ columns: copyColumns(columns), sets }) };
    },
    inline: {
      ts: ({ columns, sets }) => tsCodec.encodeRoutes(columns, sets),
      ...(native && { native: ({ columns, sets }: { columns: RouteColumns; sets: AttributeSet[] }) => native.encodeRoutes(columns, sets) }),
    },
    send: (pool, { columns, sets }) => pool.encodeRoutes(columns, sets),
  };
  const rank: CrossoverTask<ReturnType<typeof rankBatchOf>> = {
    task: 'rank-destinations', unit: 'paths', ladder: quick ? [8, 128, 1024] : [8, 32, 128, 512, 2048],
    input: (destinations) => {
      const batch = rankBatchOf(destinations, 17);
      return { size: batch.paths.length, make: () => ({ ...batch, offsets: batch.offsets.slice() }) };
    },
    inline: { ts: (batch) => rankBatch(batch) },
    send: (pool, batch) => pool.rankDestinations(batch),
  };
  const flows: CrossoverTask<ReturnType<typeof randomFlows>> = {
    task: 'hash-flows', unit: 'flows', ladder: quick ? [1024, 16_384, 262_144] : [1024, 4096, 16_384, 65_536, 262_144, 1_048_576],
    input: (count) => {
      const batch = randomFlows('ipv4', count, 3);
      return { size: count, make: () => ({ ...batch, words: batch.words.slice() }) };
    },
    inline: { ts: (batch) => tsEcmp.selectBatch(table, batch, hash), ...(ecmp && { native: (batch: ReturnType<typeof randomFlows>) => ecmp.selectBatch(table, batch, hash) }) },
    send: (pool, batch) => pool.selectNextHops(table, batch, hash),
  };
  return [decode, encode, rank, flows] as CrossoverTask<unknown>[];
}

/** The longest gap between 1 ms ticks of the main thread while `work` runs, once the timer has settled. */
async function longestGapMs(work: () => Promise<unknown> | unknown): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const probe = stallProbe();
  await new Promise<void>((resolve, reject) => setTimeout(() => Promise.resolve(work()).then(() => resolve(), reject), 0));
  await new Promise((resolve) => setTimeout(resolve, 5));
  return probe.stop();
}

async function stallCases(routes: number, pool: EnginePool, native: WireCodec | undefined): Promise<StallCase[]> {
  const { sets, batches, bursts } = workload(routes, routes, native ?? tsCodec);
  const [columns, burst] = [batches[0], bursts[0]];
  const encode: StallCase = { task: 'encodeRoutes', routes, longestGapMs: { pool: 0, native: 0, ts: 0 } };
  const decode: StallCase = { task: 'decodeRoutes', routes, longestGapMs: { pool: 0, native: 0, ts: 0 } };
  encode.longestGapMs.pool = await longestGapMs(async () => must(await pool.encodeRoutes(copyColumns(columns), sets)));
  decode.longestGapMs.pool = await longestGapMs(async () => must(await pool.decodeRoutes(burst.slice())));
  encode.longestGapMs.ts = await longestGapMs(() => tsCodec.encodeRoutes(columns, sets));
  decode.longestGapMs.ts = await longestGapMs(() => tsCodec.decodeRoutes(burst));
  encode.longestGapMs.native = native ? await longestGapMs(() => native.encodeRoutes(columns, sets)) : NaN;
  decode.longestGapMs.native = native ? await longestGapMs(() => native.decodeRoutes(burst)) : NaN;
  return [encode, decode];
}

async function main(): Promise<void> {
  const options = benchOptions('pool', 'small batches and ladders, for a smoke test');
  const environment = describeEnvironment();
  let native: WireCodec | undefined;
  let ecmp: EcmpEngine | undefined;
  let nativeStatus: PoolResults['native'] = { available: true };
  try {
    native = selectCodec('native').codec;
    ecmp = selectEcmp('native').engine;
  } catch (error) {
    nativeStatus = { available: false, error: (error as Error).message };
  }
  console.log(`pool: ${environmentLine(environment)}`);
  console.log(`median of ${options.runs} run(s)${options.quick ? ', quick sizes' : ''}; run order: ${RUN_ORDER}`);
  if (!gcExposed) console.log('note: node runs without --expose-gc, so a timed run may pay for an earlier run\'s garbage');
  if (!nativeStatus.available) console.log(`note: ${nativeStatus.error}; workers and main thread run TypeScript`);

  const pools = new Map<Runner, EnginePool>([['pool, 1 thread', poolOf(1)], ['pool, 2 threads', poolOf(2)]]);
  try {
    const codecs = native ? [tsCodec, native] : [tsCodec];
    const [routes, batch] = options.quick ? [40_000, 5_000] : [1_000_000, 50_000];
    const throughput = [
      await throughputCase('encodeRoutes', routes, batch, options.runs, codecs, pools),
      await throughputCase('decodeRoutes', routes, batch, options.runs, codecs, pools),
    ];
    const one = pools.get('pool, 1 thread') as EnginePool;
    const crossovers: CrossoverCase[] = [];
    for (const spec of crossoverTasks(options.quick, native, ecmp)) crossovers.push(await crossoverCase(spec, one));
    const stalls = await stallCases(options.quick ? 20_000 : 500_000, one, native);
    const results: PoolResults = {
      benchmark: 'pool', environment, runs: options.runs, quick: options.quick, runOrder: RUN_ORDER, native: nativeStatus,
      throughput, crossovers, stalls,
    };
    console.log(`\n${renderPoolResults(results)}`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    for (const pool of pools.values()) await pool.close();
  }
}

await main();
