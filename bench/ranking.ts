/**
 * Best-path ranking benchmark: 1,000,000 destinations of 4 candidate paths each, ranked in batches
 * through the engine's own entry point, EnginePool.rankDestinations, three ways: on the main thread
 * (the pool off, so each batch runs rankBatch, which runs the RIB's `rank` per destination), and in
 * a pool of one and of two worker threads (the rank-destinations task: paths packed as a record,
 * offsets transferred). bench/README.md explains what is measured and why.
 *
 *   node --expose-gc --import tsx bench/ranking.ts [--runs N] [--quick] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EnginePool, rankPathOf } from '../engine/pool/index.ts';
import { BEST_REASON, type PoolResult, type RankBatch, type RankBatchResult, type RankPath } from '../engine/pool/types.ts';
import { CHAIN, tieBreakerIndex } from '../engine/rib/best-path/chain.ts';
import type { RankOptions, TieBreakerName } from '../engine/rib/best-path/types.ts';
import { makePath, type Path, type PathSource, type PeerKind } from '../engine/rib/path.ts';
import type { PathAttribute } from '../engine/wire/types.ts';
import { describeEnvironment, environmentLine } from './environment.ts';
import { collectGarbage, currentChecksum, gcExposed, keep, median } from './measure.ts';
import { benchOptions } from './options.ts';
import { renderRankingResults, RUNNERS, type RankingResults, type Runner, type RunnerResult } from './ranking-results.ts';
import { stallProbe } from './stall-probe.ts';
import { must, seededRandom } from '../engine/pool/testing.ts';

const RUN_ORDER =
  'one untimed warm-up run per runner (main thread first), whose best paths and multipath sets are compared; then N rounds of ' +
  'every runner, the order rotating by round, and of building the batches alone; a run copies the made paths before its clock ' +
  'starts, then builds each batch (a RankPath per candidate path, new offsets) as it hands it to EnginePool.rankDestinations, ' +
  'one batch per event-loop turn, and awaits the answers; garbage is collected before every run when --expose-gc is given';

const PATHS_PER_DESTINATION = 4;
const SEED = 0x5eed;

/**
 * 10,000 destinations per batch: the fixed price of a trip to a worker (post, wake, answer) is small
 * against 40,000 paths, and one batch keeps the main thread busy for tens of milliseconds, not seconds.
 */
const FULL = { destinations: 1_000_000, batchDestinations: 10_000 };
const QUICK = { destinations: 10_000, batchDestinations: 1_000 };

/** The multipath settings `porter bgp serve` gives `multipath: {}` (engine/speaker/config.ts). */
const OPTIONS: RankOptions = { multipath: { upTo: 'igp-cost', relaxAsPath: false, maximumPaths: 8 } };

const LOCAL_AS = 65000;
const NEIGHBOUR_ASES = [65001, 65002, 65003];

const session = (peerAddress: string, peerBgpId: string, kind: PeerKind, peerAs: number): PathSource =>
  ({ peerAddress, peerBgpId, peerAs, localAs: LOCAL_AS, kind, rrClient: false });

/**
 * Two eBGP sessions per neighbour AS and five iBGP sessions. The first two of each kind are one
 * router (one BGP Identifier, the lowest of its kind) on two links, so that between them the peer
 * address decides (RFC 4271 section 9.1.2.2 g).
 */
const PEERS: PathSource[] = [
  session('192.0.2.11', '10.0.0.1', 'ebgp', 65001),
  session('192.0.2.10', '10.0.0.1', 'ebgp', 65001),
  session('192.0.2.20', '10.0.0.2', 'ebgp', 65002),
  session('192.0.2.21', '10.0.0.3', 'ebgp', 65002),
  session('192.0.2.30', '10.0.0.4', 'ebgp', 65003),
  session('192.0.2.31', '10.0.0.5', 'ebgp', 65003),
  session('10.255.0.2', '10.255.0.1', 'ibgp', LOCAL_AS),
  session('10.255.0.1', '10.255.0.1', 'ibgp', LOCAL_AS),
  session('10.255.0.3', '10.255.0.3', 'ibgp', LOCAL_AS),
  session('10.255.0.4', '10.255.0.4', 'ibgp', LOCAL_AS),
  session('10.255.0.5', '10.255.0.5', 'ibgp', LOCAL_AS),
];
const ALL_PEERS = PEERS.map((_, i) => i);
const PEERS_OF: Record<'ebgp' | 'ibgp', number[]> = {
  ebgp: ALL_PEERS.filter((i) => PEERS[i].kind === 'ebgp'),
  ibgp: ALL_PEERS.filter((i) => PEERS[i].kind === 'ibgp'),
};
/** The peers whose paths can come through a neighbour AS: its eBGP sessions and every iBGP one. */
const PEERS_THROUGH = NEIGHBOUR_ASES.map((asn) => ALL_PEERS.filter((i) => PEERS[i].kind === 'ibgp' || PEERS[i].peerAs === asn));

const LOCAL_PREFS = [100, 200];
const ORIGINS = ['igp', 'egp', 'incomplete'] as const;
const MEDS = [undefined, 0, 10, 20, 50];
/** IGP cost to the next hop; the last entry is a next hop that does not resolve. */
const IGP_COSTS = [1, 2, 3, 5, undefined];
const UNREACHABLE = IGP_COSTS.length - 1;

/**
 * A candidate path as indices into the tables above; `length` is the AS path's length beyond its
 * first AS, `variant` picks one of two AS paths of that length (multipath needs identical ones).
 */
const PROFILE_FIELDS = ['peer', 'neighbour', 'length', 'variant', 'localPref', 'origin', 'med', 'igp'] as const;
type Profile = Record<(typeof PROFILE_FIELDS)[number], number>;
const RADIX: Profile = {
  peer: PEERS.length, neighbour: NEIGHBOUR_ASES.length, length: 3, variant: 2, localPref: LOCAL_PREFS.length, origin: ORIGINS.length,
  med: MEDS.length, igp: IGP_COSTS.length,
};

function profileCode(profile: Profile): number {
  return PROFILE_FIELDS.reduce((code, field) => code * RADIX[field] + profile[field], 0);
}

function profileOf(code: number): Profile {
  const profile = {} as Profile;
  for (const field of [...PROFILE_FIELDS].reverse()) {
    profile[field] = code % RADIX[field];
    code = Math.floor(code / RADIX[field]);
  }
  return profile;
}

/** The path of a profile, made by the RIB's makePath from wire attributes, as a session would make it. */
function pathOfProfile(profile: Profile): Path {
  const source = PEERS[profile.peer];
  const asns = [NEIGHBOUR_ASES[profile.neighbour], ...Array.from({ length: profile.length }, (_, i) => 64512 + 10 * profile.variant + i)];
  const nextHop = source.peerAddress;
  const attributes: PathAttribute[] = [
    { type: 'origin', value: ORIGINS[profile.origin] },
    { type: 'as-path', segments: [{ type: 'sequence', asns }] },
    { type: 'next-hop', value: nextHop },
  ];
  const med = MEDS[profile.med];
  if (med !== undefined) attributes.push({ type: 'med', value: med });
  const localPref = LOCAL_PREFS[profile.localPref];
  // LOCAL_PREF travels over iBGP; an eBGP path gets it from import policy (RFC 4271 section 5.1.5).
  if (source.kind === 'ibgp') attributes.push({ type: 'local-pref', value: localPref });
  const cost = IGP_COSTS[profile.igp];
  return makePath({ source, nextHops: [nextHop], attributes, ...(source.kind === 'ebgp' && { localPref }) }, { igpCost: () => cost });
}

/** `count` distinct entries of `candidates`, in random order (a partial Fisher-Yates shuffle). */
function pickDistinct(candidates: number[], count: number, next: (bound: number) => number): number[] {
  const pool = [...candidates];
  for (let i = 0; i < count; i++) {
    const j = i + next(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/** The tie-breakers the generator aims at, one destination in eight each. */
const AIMED_AT: TieBreakerName[] = ['local-pref', 'as-path-length', 'origin', 'med', 'ebgp-over-ibgp', 'igp-cost', 'router-id', 'peer-address'];

/** The peers of a destination aimed at `step`: any mix of sessions until eBGP over iBGP, one kind after it. */
function peersFor(step: TieBreakerName, kind: 'ebgp' | 'ibgp', neighbour: number, next: (bound: number) => number): number[] {
  switch (step) {
    case 'med':
      // MED only compares paths through the same neighbour AS (RFC 4271 section 9.1.2.2 c).
      return pickDistinct(PEERS_THROUGH[neighbour], PATHS_PER_DESTINATION, next);
    case 'igp-cost':
    case 'router-id':
      return pickDistinct(PEERS_OF[kind], PATHS_PER_DESTINATION, next);
    case 'peer-address': {
      const [first, second, ...others] = PEERS_OF[kind];
      return pickDistinct([first, second, ...pickDistinct(others, PATHS_PER_DESTINATION - 2, next)], PATHS_PER_DESTINATION, next);
    }
    default:
      return pickDistinct(ALL_PEERS, PATHS_PER_DESTINATION, next);
  }
}

/** Gives `profile` the values of `first` for every attribute ranked before `step`, so that the two tie up to it. */
function tieUpTo(step: TieBreakerName, profile: Profile, first: Profile): void {
  const at = tieBreakerIndex(step);
  if (at > tieBreakerIndex('local-pref')) profile.localPref = first.localPref;
  if (at > tieBreakerIndex('as-path-length')) profile.length = first.length;
  if (at > tieBreakerIndex('origin')) profile.origin = first.origin;
  if (at > tieBreakerIndex('med')) profile.med = first.med;
  if (at > tieBreakerIndex('igp-cost')) profile.igp = first.igp;
}

/**
 * The destinations, compactly: one profile code per candidate path (RADIX's product, 29,700, fits
 * 16 bits), PATHS_PER_DESTINATION per destination. Each destination is aimed at a tie-breaker: its
 * paths tie on every attribute ranked before it and draw the others at random, so the aimed one or
 * a later one decides.
 */
function generateDestinations(destinations: number, seed: number): Uint16Array {
  const next = seededRandom(seed);
  const codes = new Uint16Array(destinations * PATHS_PER_DESTINATION);
  for (let d = 0; d < destinations; d++) {
    const step = AIMED_AT[next(AIMED_AT.length)];
    const kind = next(3) === 0 ? 'ibgp' : 'ebgp';
    const neighbour = next(NEIGHBOUR_ASES.length);
    const peers = peersFor(step, kind, neighbour, next);
    let first: Profile | undefined;
    peers.forEach((peer, p) => {
      const ownAs = NEIGHBOUR_ASES.indexOf(PEERS[peer].peerAs);
      const profile: Profile = {
        peer,
        // An eBGP path's AS path starts with its peer's AS; an iBGP path leaves through any neighbour AS.
        neighbour: ownAs >= 0 ? ownAs : step === 'med' ? neighbour : next(NEIGHBOUR_ASES.length),
        length: next(RADIX.length),
        variant: next(RADIX.variant),
        // One path in four has the higher LOCAL_PREF, so that it often has it alone and decides.
        localPref: next(4) === 0 ? 1 : 0,
        origin: next(ORIGINS.length),
        med: next(MEDS.length),
        igp: p > 0 && next(64) === 0 ? UNREACHABLE : next(UNREACHABLE),
      };
      if (first === undefined) first = profile;
      else tieUpTo(step, profile, first);
      codes[d * PATHS_PER_DESTINATION + p] = profileCode(profile);
    });
  }
  return codes;
}

/**
 * The generated destinations: a profile code per candidate path (PATHS_PER_DESTINATION per
 * destination), and the path of each code in use, made once.
 */
interface Destinations {
  codes: Uint16Array;
  /** Sparse, by code. */
  paths: Path[];
  /** Codes in use. */
  profiles: number;
}

function destinationsOf(codes: Uint16Array): Destinations {
  const paths: Path[] = [];
  let profiles = 0;
  for (const code of codes) {
    if (paths[code] !== undefined) continue;
    paths[code] = pathOfProfile(profileOf(code));
    profiles++;
  }
  return { codes, paths, profiles };
}

/**
 * A run's own copy of the made paths, ranking values included, so that no run reads an object an
 * earlier run read. Candidate paths of one profile share one copy: 4,000,000 ranking objects of
 * their own would hold gigabytes and make the runs time the garbage collector's marking of them.
 * The main thread therefore reads fewer distinct objects than it would in a RIB.
 */
function pathsForRun(destinations: Destinations): Path[] {
  return destinations.paths.map((path) => ({ ...path, ranking: { ...path.ranking } }));
}

/**
 * Destinations `start .. start + count` as a batch, built when it is handed over as the engine
 * builds one from its RIB: a RankPath per candidate path (rankPathOf) and new offsets.
 */
function batchOf(codes: Uint16Array, paths: Path[], start: number, count: number): RankBatch {
  const batch: RankPath[] = [];
  for (let p = start * PATHS_PER_DESTINATION; p < (start + count) * PATHS_PER_DESTINATION; p++) batch.push(rankPathOf(paths[codes[p]]));
  const offsets = Uint32Array.from({ length: count + 1 }, (_, d) => d * PATHS_PER_DESTINATION);
  return { paths: batch, offsets, options: OPTIONS };
}

/** The first destination and the size of every batch. */
function batchesOf(destinations: number, batchDestinations: number): { start: number; count: number }[] {
  return Array.from({ length: Math.ceil(destinations / batchDestinations) }, (_, b) => ({
    start: b * batchDestinations, count: Math.min(batchDestinations, destinations - b * batchDestinations),
  }));
}

/**
 * The runner's pool: off for the main thread, else every ranking batch goes to the workers (the
 * engine's crossover keeps ranking on the main thread, engine/pool/dispatch.ts).
 */
function poolFor(runner: Runner): EnginePool {
  const made = EnginePool.create(
    { mode: runner === 'main thread, ts' ? 'off' : 'auto', threads: runner === 'pool, 2 threads' ? 2 : 1, implementation: 'auto' },
    { crossover: { 'rank-destinations': 0 } },
  );
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

/**
 * Every batch through the pool, one per event-loop turn, as a speaker that keeps serving its
 * sessions hands them over: between batches timers run and answers are taken.
 */
async function rankAll(pool: EnginePool, codes: Uint16Array, paths: Path[], batchDestinations: number): Promise<RankBatchResult[]> {
  const answers: Promise<PoolResult<RankBatchResult>>[] = [];
  for (const { start, count } of batchesOf(codes.length / PATHS_PER_DESTINATION, batchDestinations)) {
    answers.push(pool.rankDestinations(batchOf(codes, paths, start, count)));
    await nextTurn();
  }
  return (await Promise.all(answers)).map(must);
}

/** Nanoseconds to build every batch and rank none: the share of each runner's time that is not ranking. */
function buildOnlyNs(destinations: Destinations, batchDestinations: number): number {
  const { codes } = destinations;
  const paths = pathsForRun(destinations);
  collectGarbage();
  const start = process.hrtime.bigint();
  for (const { start: first, count } of batchesOf(codes.length / PATHS_PER_DESTINATION, batchDestinations)) {
    keep(batchOf(codes, paths, first, count).paths.length);
  }
  return Number(process.hrtime.bigint() - start);
}

interface RunOutcome {
  ns: number;
  longestGapMs: number;
  results: RankBatchResult[];
}

async function rankRun(pool: EnginePool, destinations: Destinations, batchDestinations: number): Promise<RunOutcome> {
  const paths = pathsForRun(destinations);
  collectGarbage();
  const probe = stallProbe();
  const start = process.hrtime.bigint();
  const results = await rankAll(pool, destinations.codes, paths, batchDestinations);
  const ns = Number(process.hrtime.bigint() - start);
  const longestGapMs = probe.stop();
  for (const result of results) keep(result.best[0] + result.multipath.length);
  return { ns, longestGapMs, results };
}

/** Destinations whose best path or multipath set differs between two rankings of the same batches. */
function disagreements(expected: RankBatchResult[], actual: RankBatchResult[]): number {
  let count = 0;
  expected.forEach((want, b) => {
    const got = actual[b];
    for (let d = 0; d < want.best.length; d++) {
      const [from, to] = [want.multipathOffsets[d], want.multipathOffsets[d + 1]];
      const gotFrom = got?.multipathOffsets[d];
      const same = got !== undefined && got.best[d] === want.best[d] && got.multipathOffsets[d + 1] - gotFrom === to - from &&
        want.multipath.subarray(from, to).every((path, i) => got.multipath[gotFrom + i] === path);
      if (!same) count++;
    }
  });
  return count;
}

/** Destinations by deciding tie-breaker (the last one that eliminated one of their paths) and by multipath set size. */
function outcomes(results: RankBatchResult[]): Pick<RankingResults, 'decidedBy' | 'multipathSizes'> {
  const counts = new Array<number>(CHAIN.length + 1).fill(0);
  const multipathSizes = new Array<number>(PATHS_PER_DESTINATION + 1).fill(0);
  for (const result of results) {
    for (let d = 0; d < result.best.length; d++) {
      let last = -1;
      for (let p = d * PATHS_PER_DESTINATION; p < (d + 1) * PATHS_PER_DESTINATION; p++) {
        if (result.reason[p] !== BEST_REASON) last = Math.max(last, result.reason[p]);
      }
      counts[result.best[d] < 0 ? CHAIN.length : last]++;
      multipathSizes[result.multipathOffsets[d + 1] - result.multipathOffsets[d]]++;
    }
  }
  const decidedBy: RankingResults['decidedBy'] = {};
  counts.forEach((count, index) => {
    if (count > 0) decidedBy[index === CHAIN.length ? 'none' : CHAIN[index].name] = count;
  });
  return { decidedBy, multipathSizes };
}

async function main(): Promise<void> {
  const options = benchOptions('ranking', `${QUICK.destinations.toLocaleString('en-US')} destinations, for a smoke test`);
  const size = options.quick ? QUICK : FULL;
  const environment = describeEnvironment();
  console.log(`ranking: ${environmentLine(environment)}`);
  console.log(`median of ${options.runs} run(s)${options.quick ? ', quick sizes' : ''}; run order: ${RUN_ORDER}`);
  if (!gcExposed) console.log('note: node runs without --expose-gc, so a timed run may pay for an earlier run\'s garbage');

  const destinations = destinationsOf(generateDestinations(size.destinations, SEED));
  const pools = new Map<Runner, EnginePool>(RUNNERS.map((runner) => [runner, poolFor(runner)]));
  try {
    const warm = new Map<Runner, RankBatchResult[]>();
    for (const runner of RUNNERS) warm.set(runner, (await rankRun(pools.get(runner)!, destinations, size.batchDestinations)).results);
    const reference = warm.get('main thread, ts')!;
    const disagreeing = new Map(RUNNERS.map((runner) => [runner, disagreements(reference, warm.get(runner)!)]));
    for (const [runner, count] of disagreeing) {
      if (count > 0) console.error(`\nWARNING: ${runner} chose another best path or multipath set than the main thread for ${count} destinations\n`);
    }
    const { decidedBy, multipathSizes } = outcomes(reference);
    warm.clear();

    const samples = new Map(RUNNERS.map((runner) => [runner, { ns: [] as number[], gaps: [] as number[] }]));
    const twoOverOne: number[] = [];
    const buildNs: number[] = [];
    for (let round = 0; round < options.runs; round++) {
      const ns = new Map<Runner, number>();
      for (const runner of RUNNERS.map((_, i) => RUNNERS[(i + round) % RUNNERS.length])) {
        const outcome = await rankRun(pools.get(runner)!, destinations, size.batchDestinations);
        ns.set(runner, outcome.ns);
        samples.get(runner)!.ns.push(outcome.ns);
        samples.get(runner)!.gaps.push(outcome.longestGapMs);
        console.log(`round ${round + 1}, ${runner}: ${(outcome.ns / 1e9).toFixed(2)} s, longest stall ${outcome.longestGapMs.toFixed(1)} ms`);
      }
      twoOverOne.push(ns.get('pool, 1 thread')! / ns.get('pool, 2 threads')!);
      buildNs.push(buildOnlyNs(destinations, size.batchDestinations));
    }

    const runners = Object.fromEntries(RUNNERS.map((runner): [Runner, RunnerResult] => {
      const { ns, gaps } = samples.get(runner)!;
      return [runner, {
        samplesNs: ns, destinationsPerSecond: size.destinations / (median(ns) / 1e9), longestGapMs: gaps, disagreements: disagreeing.get(runner)!,
      }];
    })) as Record<Runner, RunnerResult>;
    const results: RankingResults = {
      benchmark: 'ranking', environment, runs: options.runs, quick: options.quick, gcExposed, runOrder: RUN_ORDER,
      destinations: size.destinations, pathsPerDestination: PATHS_PER_DESTINATION, batchDestinations: size.batchDestinations,
      batches: Math.ceil(size.destinations / size.batchDestinations), options: OPTIONS, runners, twoOverOne, buildNs, decidedBy, multipathSizes,
      inputBytes: destinations.codes.byteLength, profiles: destinations.profiles, peakRssBytes: process.resourceUsage().maxRSS * 1024,
      checksum: currentChecksum(),
    };
    console.log(`\n${renderRankingResults(results)}\n\nchecksum ${results.checksum}`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    for (const pool of pools.values()) await pool.close();
  }
}

await main();
