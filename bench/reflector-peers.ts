/**
 * Route reflector benchmark: Porter's speaker reflecting the routes of N iBGP clients to one another
 * on loopback, with Porter's own tester opening the sessions from another process. Each run starts a
 * fresh reflector process (so its peak RSS is its own) and a fresh tester; the TypeScript and native
 * codecs alternate. bench/README.md explains the scenario and the figures.
 *
 *   node --import tsx bench/reflector-peers.ts [--peers N] [--prefixes M] [--runs R] [--quick]
 *     [--timeout S] [--profile DIR] [--reflector-wrapper COMMAND] [--json FILE]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { selectCodec } from '../engine/wire/index.ts';
import { describeEnvironment, environmentLine } from './environment.ts';
import { CHANNEL_VARIABLE, WrappedChild } from './reflector-peers-channel.ts';
import {
  MAX_PEERS,
  type ReflectorCommand, type ReflectorReport, type TesterCommand, type TesterReport,
} from './reflector-peers-protocol.ts';
import {
  renderReflectorPeersResults, sampleWarnings, summarise,
  type Implementation, type ReflectorPeersResults, type RunSample, type TcpCounters,
} from './reflector-peers-results.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ASN = 65000;
/** RFC 4271 section 10's suggested hold time; keepalives every 30 s. */
const HOLD_TIME = 90;
/** Descriptors a process needs beyond one socket per peer: stdio, IPC, the listener, node's own. */
const SPARE_DESCRIPTORS = 256;
/** How long a wrapped reflector's profiler may take over its report once the reflector has exited. */
const WRAPPER_GRACE_MS = 600_000;

const RUN_ORDER =
  'each run starts a new reflector process and a new tester process; runs alternate the codecs, ts first in even ' +
  'runs and native first in odd ones; the clock starts when the tester opens its first connection';

interface Options {
  peers: number;
  prefixes: number;
  runs: number;
  quick: boolean;
  timeoutSeconds: number;
  profile?: string;
  /** Words the reflector's command line is started under, such as a profiler's (clinic). */
  reflectorWrapper?: string[];
  json?: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      peers: { type: 'string' }, prefixes: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' },
      timeout: { type: 'string' }, profile: { type: 'string' }, 'reflector-wrapper': { type: 'string' }, json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log('usage: bench/reflector-peers.ts [--peers N] [--prefixes M] [--runs R] [--quick] [--timeout S] [--profile DIR]\n' +
      '  [--reflector-wrapper COMMAND] [--json FILE]\n' +
      '  --peers N      route reflector clients (default 1000; 20 with --quick)\n' +
      '  --prefixes M   /32s each client announces (default 10; 5 with --quick)\n' +
      '  --runs R       runs per codec, median reported (default 3; at least 3 unless --quick, which defaults to 1, or profiling)\n' +
      '  --quick        a small smoke run\n' +
      '  --timeout S    seconds a run may take before it fails (default 600)\n' +
      '  --profile DIR  write V8 CPU profiles of the reflector and tester processes into DIR (node --cpu-prof)\n' +
      '  --reflector-wrapper COMMAND  start the reflector as COMMAND followed by its node command line\n' +
      '                 (words split at spaces), e.g. "npx --yes clinic@13.0.0 flame --dest /tmp/clinic --"\n' +
      '  --json FILE    also write the results as JSON');
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const number = (value: string | undefined, fallback: number, name: string, low: number, high: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(parsed) || parsed < low || parsed > high) usageError(`--${name} must be an integer from ${low} to ${high}, not ${value}`);
    return parsed;
  };
  const peers = number(values.peers, quick ? 20 : 1000, 'peers', 2, MAX_PEERS);
  const prefixes = number(values.prefixes, quick ? 5 : 10, 'prefixes', 1, Math.floor(2 ** 24 / peers));
  const runs = number(values.runs, quick ? 1 : 3, 'runs', 1, 1000);
  const reflectorWrapper = values['reflector-wrapper']?.split(' ').filter((word) => word !== '');
  // A profile needs one run, not a median.
  const profiling = values.profile !== undefined || reflectorWrapper !== undefined;
  if (runs < 3 && !quick && !profiling) usageError('--runs below 3 gives no meaningful median; it is allowed only with --quick or when profiling');
  const timeoutSeconds = number(values.timeout, 600, 'timeout', 1, 86400);
  return { peers, prefixes, runs, quick, timeoutSeconds, profile: values.profile, reflectorWrapper, json: values.json };
}

function usageError(message: string): never {
  console.error(`reflector-peers: ${message}`);
  process.exit(2);
}

/**
 * The hard open-file limit, as `ulimit -Hn` reports it ("unlimited" as Infinity). Node raises its
 * soft limit to the hard one when it starts, so the hard limit is what each process gets.
 */
function openFileLimit(): number {
  const text = spawnSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

/** A child process as the runner drives it: node's own IPC child, or one started under a wrapper. */
type Child = ChildProcess | WrappedChild;

/** Starts a node child with an IPC channel. */
function startChild(script: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, script)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  // A command sent to a child that has died fails with EPIPE; its exit is what gets reported.
  child.on('error', () => {});
  return child;
}

/**
 * Starts a node child under `wrapper` (a profiler such as clinic). The wrapper's own node process
 * would take an IPC channel, so the child is driven over a Unix socket instead (reflector-peers-channel.ts).
 */
async function startWrappedChild(wrapper: string[], script: string, env: NodeJS.ProcessEnv, nodeFlags: string[]): Promise<WrappedChild> {
  const directory = mkdtempSync(join(os.tmpdir(), 'porter-reflector-'));
  const path = join(directory, 'channel.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const [command, ...args] = wrapper;
  const child = spawn(command, [...args, process.execPath, ...nodeFlags, '--import', 'tsx', join(here, script)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, [CHANNEL_VARIABLE]: path },
  });
  const removeDirectory = () => rmSync(directory, { recursive: true, force: true });
  child.on('exit', removeDirectory);
  // A wrapper that cannot start (not installed, say) never exits: its error ends the run here.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => {
      server.close();
      removeDirectory();
      reject(error);
    });
  });
  child.on('error', () => {});
  return new WrappedChild(child, server);
}

/**
 * The kernel's TCP counters that explain slow session starts: SYNs dropped because the listener's
 * accept queue was full, and the SYNs clients sent again (after 1 s, then 3 s, 7 s...). They count
 * for the whole network namespace, so other work on the machine can add to them.
 */
function tcpCounters(): TcpCounters | undefined {
  let lines: string[];
  try {
    lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
  } catch {
    return undefined;
  }
  const names = lines[0]?.split(' ') ?? [];
  const values = lines[1]?.split(' ').map(Number) ?? [];
  const counter = (name: string) => values[names.indexOf(name)] ?? 0;
  return { listenOverflows: counter('ListenOverflows'), synRetransmits: counter('TCPSynRetrans') };
}

/** The next IPC report of a child, or its exit as an error. */
function nextReport<T>(child: Child, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (report: T) => {
      child.off('exit', onExit);
      resolve(report);
    };
    const onExit = (code: number | null, signal: string | null) => {
      child.off('message', onMessage);
      reject(new Error(`the ${name} process exited (${signal ?? code}) before reporting`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

async function expect<R extends { type: string }, K extends R['type']>(child: Child, name: string, type: K): Promise<Extract<R, { type: K }>> {
  const report = await nextReport<R>(child, name);
  if (report.type === 'failed') throw new Error(`${name}: ${(report as unknown as { error: string }).error}`);
  if (report.type !== type) throw new Error(`${name}: expected ${type}, got ${report.type}`);
  return report as Extract<R, { type: K }>;
}

/** Ends a child by its pid and waits for it to go, killing it after `graceMs`. */
async function end(child: Child, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.disconnect();
  const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(kill);
}

async function runOnce(implementation: Implementation, run: number, options: Options): Promise<RunSample> {
  const { PORTER_IMPL: _, ...inherited } = process.env;
  // One directory per process: tsx's loader thread writes a profile of its own next to the main thread's.
  const profile = (name: string) =>
    options.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', join(options.profile, `${name}-${implementation}-${run}`)];
  const reflectorEnv = { ...inherited, PORTER_IMPL: implementation };
  const reflector = options.reflectorWrapper === undefined
    ? startChild('reflector-peers-reflector.ts', reflectorEnv, profile('reflector'))
    : await startWrappedChild(options.reflectorWrapper, 'reflector-peers-reflector.ts', reflectorEnv, profile('reflector'));
  // The tester decodes with the fastest codec it has, whichever the reflector runs on.
  const tester = startChild('reflector-peers-tester.ts', inherited, profile('tester'));
  try {
    const sendReflector = (command: ReflectorCommand) => reflector.send(command);
    const sendTester = (command: TesterCommand) => tester.send(command);
    sendReflector({ type: 'setup', peers: options.peers, asn: ASN, holdTime: HOLD_TIME });
    const ready = await expect<ReflectorReport, 'ready'>(reflector, 'reflector', 'ready');
    if (ready.codec !== implementation) throw new Error(`the reflector runs the ${ready.codec} codec, not ${implementation}`);
    sendTester({
      type: 'setup', peers: options.peers, prefixes: options.prefixes, asn: ASN, holdTime: HOLD_TIME,
      port: ready.port, timeoutSeconds: options.timeoutSeconds, verify: options.quick,
    });
    await expect<TesterReport, 'ready'>(tester, 'tester', 'ready');
    const countersBefore = tcpCounters();
    sendReflector({ type: 'go' });
    sendTester({ type: 'go' });
    const done = await expect<TesterReport, 'done'>(tester, 'tester', 'done');
    const countersAfter = tcpCounters();
    sendReflector({ type: 'stats' });
    const stats = await expect<ReflectorReport, 'stats'>(reflector, 'reflector', 'stats');
    const tcp = countersBefore === undefined || countersAfter === undefined ? undefined : {
      listenOverflows: countersAfter.listenOverflows - countersBefore.listenOverflows,
      synRetransmits: countersAfter.synRetransmits - countersBefore.synRetransmits,
    };
    return { run, tester: done.result, reflector: stats.stats, ...(tcp !== undefined ? { tcp } : {}) };
  } finally {
    // A profiler writes its report after the reflector exits; it is given the time to.
    await Promise.all([end(tester, 10_000), end(reflector, options.reflectorWrapper === undefined ? 10_000 : WRAPPER_GRACE_MS)]);
  }
}

function describeRun(implementation: Implementation, sample: RunSample): string {
  const { run, tester, reflector, tcp } = sample;
  const cpu = reflector.cpuUserSeconds + reflector.cpuSystemSeconds;
  return `  run ${run} ${implementation.padEnd(6)}: Established ${tester.establishedSeconds.toFixed(2)} s, ` +
    `converged ${tester.convergedSeconds.toFixed(2)} s, ${tester.received.update.messages} UPDATEs ` +
    `(${(tester.received.update.octets / 1e6).toFixed(1)} MB), Porter CPU ${cpu.toFixed(2)} s, ` +
    `RSS ${(reflector.peakRssBytes / 1e6).toFixed(0)} MB, stall ${reflector.loopDelayMaxMs.toFixed(0)} ms; ` +
    `tester CPU ${(tester.cpuUserSeconds + tester.cpuSystemSeconds).toFixed(2)} s` +
    (tcp === undefined ? '' : `; ${tcp.listenOverflows} listen queue overflows, ${tcp.synRetransmits} SYNs sent again`);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const environment = describeEnvironment();
  let native: ReflectorPeersResults['native'];
  try {
    selectCodec('native');
    native = { available: true };
  } catch (error) {
    native = { available: false, error: (error as Error).message };
  }
  const descriptors = options.peers + SPARE_DESCRIPTORS;
  const limit = openFileLimit();
  if (limit < descriptors) {
    throw new Error(`${options.peers} peers need ${descriptors} open files per process, and the hard limit is ${limit} ` +
      '(ulimit -Hn): raise it (LimitNOFILE, /etc/security/limits.conf) or use fewer --peers');
  }
  console.log(`reflector-peers: ${environmentLine(environment)}`);
  console.log(`reflector-peers: ${options.peers} route reflector clients × ${options.prefixes} /32s, ${options.runs} run(s) per codec; ` +
    `open-file limit ${limit} (${descriptors} needed)`);
  const implementations: Implementation[] = native.available ? ['ts', 'native'] : ['ts'];
  const samples: Record<Implementation, RunSample[]> = { ts: [], native: [] };
  const warnings: string[] = [];
  for (let run = 0; run < options.runs; run++) {
    const order = run % 2 === 0 ? implementations : [...implementations].reverse();
    for (const implementation of order) {
      const sample = await runOnce(implementation, run, options);
      console.log(describeRun(implementation, sample));
      samples[implementation].push(sample);
      warnings.push(...sampleWarnings(implementation, sample));
    }
  }
  const results: ReflectorPeersResults = {
    quick: options.quick,
    peers: options.peers,
    prefixes: options.prefixes,
    runs: options.runs,
    holdTime: HOLD_TIME,
    runOrder: RUN_ORDER,
    environment,
    native,
    implementations: Object.fromEntries(
      implementations.map((name) => [name, { samples: samples[name], median: summarise(samples[name]) }]),
    ),
    warnings,
  };
  console.log(`\n${renderReflectorPeersResults(results)}`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: Error) => {
  console.error(`reflector-peers: ${error.message}`);
  process.exit(1);
});
