/**
 * One measured run of one target in one scenario: a fresh lab, the target started, the tester's
 * sessions Established, a pause for the target to settle, then the injectors release their routes
 * and the clock runs until every receiver holds every prefix. The target's CPU and memory are read
 * from /proc just before the release and at convergence. Everything started is stopped, and the
 * namespaces deleted, whatever the outcome.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, trackProcess, untrackProcess } from '../../test/netns/cleanup.ts';
import { delay } from '../../test/netns/wait.ts';
import { TARGET_ADDRESS } from './addresses.ts';
import { createLab } from './lab.ts';
import { treeStats } from './process-stats.ts';
import { type Scenario, sessionCount } from './scenarios.ts';
import type { RunningTarget, Target } from './targets/target.ts';
import { withOpenFiles } from './targets/target.ts';
import type { ChurnResult, TesterCommand, TesterReport } from './tester-protocol.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TESTER = join(REPO_ROOT, 'bench', 'scale', 'tester.ts');

/** How a run ended and what it measured. */
export interface RunOutcome {
  target: string;
  status: 'converged' | 'timeout' | 'failed';
  /** Release to convergence, in seconds (converged runs). */
  wallSeconds?: number;
  /** Target utime + stime over the same window. */
  cpuSeconds?: number;
  /** Target resident set just before the release and at the end of the window. */
  rssBeforeBytes?: number;
  rssAfterBytes?: number;
  /** Target VmHWM at the end of the window. */
  peakRssBytes?: number;
  /** The tester's own CPU over the window. */
  testerCpuSeconds?: number;
  /** Seconds until every session was Established (before the clock). */
  establishSeconds?: number;
  /** Timeouts: the share of the expected prefixes the receivers held. */
  heldShare?: number;
  /** Churn scenarios: the flapping phase after the load, with the target's CPU over it. */
  churn?: ChurnResult & { targetCpuSeconds: number };
  error?: string;
}

export interface RunSettings {
  timeoutSeconds: number;
  establishTimeoutSeconds: number;
  /** Pause between the last session Established and the release. */
  settleMs: number;
}

/** Runs `target` once in `scenario`. Never throws: a failure is an outcome with its reason. */
export async function runTarget(target: Target, scenario: Scenario, settings: RunSettings): Promise<RunOutcome> {
  const workDir = mkdtempSync(join(os.tmpdir(), `porter-scale-${target.name}-`));
  let running: RunningTarget | undefined;
  let tester: TesterProcess | undefined;
  let failed = false;
  const lab = await createLab(sessionCount(scenario));
  try {
    running = await target.start(lab.target, workDir, scenario);
    tester = startTester(lab.tester);
    await tester.request({ type: 'setup', setup: {
      scenario,
      target: TARGET_ADDRESS,
      holdTime: 240,
      connectConcurrency: target.connectConcurrency ?? 64,
      establishTimeoutSeconds: settings.establishTimeoutSeconds,
      timeoutSeconds: settings.timeoutSeconds,
    } }, ['ready'], 120);
    const established = await tester.request({ type: 'connect' }, ['established'], settings.establishTimeoutSeconds + 30);
    await delay(settings.settleMs);
    const before = treeStats(running.pid);
    const end = await tester.request({ type: 'release' }, ['converged', 'timeout'], settings.timeoutSeconds + 30);
    const after = treeStats(running.pid);
    const measured = {
      target: target.name,
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
      rssBeforeBytes: before.rssBytes,
      rssAfterBytes: after.rssBytes,
      peakRssBytes: after.peakRssBytes,
      establishSeconds: established.type === 'established' ? established.seconds : undefined,
    };
    if (end.type === 'converged') {
      const loaded: RunOutcome = { ...measured, status: 'converged', wallSeconds: end.result.seconds, testerCpuSeconds: end.result.cpuSeconds };
      return scenario.churn ? { ...loaded, ...await churn(tester, running.pid, settings) } : loaded;
    }
    const share = end.type === 'timeout' && end.expected > 0 ? end.held / end.expected : 0;
    return { ...measured, status: 'timeout', heldShare: share };
  } catch (error) {
    failed = true;
    const log = running?.log().slice(-2000) ?? '';
    return {
      target: target.name,
      status: 'failed',
      error: `${(error as Error).message} (logs kept in ${workDir})${log ? `\n--- ${target.name} log ---\n${log}` : ''}`,
    };
  } finally {
    tester?.stop();
    await running?.stop();
    await lab.remove();
    if (!failed) rmSync(workDir, { recursive: true, force: true });
  }
}

/** The churn phase of a loaded run: the target's CPU over it, and what the tester measured. */
async function churn(tester: TesterProcess, pid: number, settings: RunSettings): Promise<Partial<RunOutcome>> {
  await delay(settings.settleMs);
  const before = treeStats(pid);
  const end = await tester.request({ type: 'churn' }, ['churned', 'timeout'], settings.timeoutSeconds + 30);
  const after = treeStats(pid);
  if (end.type !== 'churned') {
    const share = end.type === 'timeout' && end.expected > 0 ? end.held / end.expected : 0;
    return { status: 'timeout', heldShare: share };
  }
  return { churn: { ...end.result, targetCpuSeconds: after.cpuSeconds - before.cpuSeconds } };
}

interface TesterProcess {
  /** Sends a command and waits for one of `expected` (a `failed` report or an exit rejects). */
  request(command: TesterCommand, expected: TesterReport['type'][], timeoutSeconds: number): Promise<TesterReport>;
  stop(): void;
}

/** The tester in its namespace, with an IPC channel (the fd survives `ip netns exec` and `prlimit`, which exec). */
function startTester(namespace: string): TesterProcess {
  const [file, args] = withOpenFiles(process.execPath, ['--import', 'tsx', TESTER]);
  const child: ChildProcess = spawn('ip', ['netns', 'exec', namespace, file, ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the tester');
  trackProcess(pid);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `the tester exited (${code ?? signal})`;
  });
  return {
    request(command, expected, timeoutSeconds) {
      return new Promise((resolve, reject) => {
        if (exited) {
          reject(new Error(exited));
          return;
        }
        const finish = (outcome: () => void) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          outcome();
        };
        const onMessage = (report: TesterReport) => {
          if (report.type === 'failed') finish(() => reject(new Error(`tester: ${report.error}`)));
          else if (expected.includes(report.type)) finish(() => resolve(report));
        };
        const onExit = () => finish(() => reject(new Error(exited ?? 'the tester exited')));
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${expected.join('/')} from the tester within ${timeoutSeconds} s`))), timeoutSeconds * 1000);
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(command);
      });
    },
    stop() {
      killGroup(pid);
      untrackProcess(pid);
    },
  };
}
