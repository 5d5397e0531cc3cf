/**
 * The scale benchmark: one tester, the same for every target, measures Porter, BIRD 2, FRR, GoBGP and
 * OpenBGPD as route reflectors in fan-out, ingest, memory, reflection (ADD-PATH) and churn
 * scenarios, in one invocation, so that the ratios between them come from one machine state. Each
 * run gets a fresh lab (bench/scale/lab.ts); runs rotate the order of the targets, so drift in
 * machine speed favours none of them. The tester is also run against a forwarder that does no
 * routing (target "tester"), its own floor.
 *
 *   node --import tsx bench/scale/run.ts [--scenario NAME,...] [--runs N] [--targets porter,porter-main,porter-ts,bird,frr,gobgp,openbgpd]
 *        [--timeout S] [--quick] [--profile DIR] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sweepDeadRuns } from '../../test/netns/namespace.ts';
import { describeEnvironment, environmentLine, loadAverage } from '../environment.ts';
import { renderChurn, renderScaleResults, renderScenario, type ScaleResults, type ScenarioResults } from './results.ts';
import { type RunOutcome, runTarget } from './run-target.ts';
import { describeScenario, pathsHeld, QUICK_SCENARIOS, SCENARIOS } from './scenarios.ts';
import { checkGoals, summarise } from './summary.ts';
import { birdTarget } from './targets/bird.ts';
import { frrTarget } from './targets/frr.ts';
import { gobgpTarget } from './targets/gobgp.ts';
import { openbgpdTarget } from './targets/openbgpd.ts';
import { porterTargets } from './targets/porter.ts';
import type { Target } from './targets/target.ts';
import { wireTarget } from './targets/wire.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    runs: { type: 'string' },
    targets: { type: 'string', default: 'porter,porter-main,porter-ts,bird,frr,gobgp,openbgpd' },
    timeout: { type: 'string', default: '120' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    json: { type: 'string' },
  },
});

const quick = values.quick === true;
const runs = Number(values.runs ?? (quick ? 1 : 3));
const timeoutSeconds = Number(values.timeout);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
if (!quick && values.scenario === undefined && runs < 3) throw new Error('--runs must be at least 3 for the whole matrix (medians); use --quick or --scenario for a look');
const catalogue = quick ? QUICK_SCENARIOS : SCENARIOS;
const scenarioNames = values.scenario?.split(',') ?? catalogue.map((scenario) => scenario.name);
const scenarios = scenarioNames.map((name) => {
  const found = catalogue.find((scenario) => scenario.name === name);
  if (!found) throw new Error(`--scenario: no scenario ${name} (${catalogue.map((scenario) => scenario.name).join(', ')})`);
  return found;
});
const available: Target[] = [...porterTargets({ profileDirectory: values.profile }), birdTarget, frrTarget, gobgpTarget, openbgpdTarget];
const targets = (values.targets as string).split(',').map((name) => {
  const found = available.find((target) => target.name === name);
  if (!found) throw new Error(`--targets: no target ${name} (${available.map((target) => target.name).join(', ')})`);
  return found;
});
// The tester's floor runs in every scenario, first in the rotation.
const lineup = [wireTarget, ...targets];

function describe(outcome: RunOutcome): string {
  if (outcome.status === 'converged') {
    const churn = outcome.churn
      ? `; churn: ${outcome.churn.flaps} flaps, ${outcome.churn.targetCpuSeconds.toFixed(2)} s CPU, lag median ` +
        `${(outcome.churn.lagMedianSeconds * 1000).toFixed(0)} ms, max ${(outcome.churn.lagMaxSeconds * 1000).toFixed(0)} ms`
      : '';
    return `${outcome.wallSeconds?.toFixed(2)} s wall, ${outcome.cpuSeconds?.toFixed(2)} s CPU, ` +
      `RSS ${((outcome.rssBeforeBytes ?? 0) / 2 ** 20).toFixed(0)} -> ${((outcome.rssAfterBytes ?? 0) / 2 ** 20).toFixed(0)} MiB, ` +
      `tester ${outcome.testerCpuSeconds?.toFixed(2)} s CPU, established in ${outcome.establishSeconds?.toFixed(1)} s${churn}`;
  }
  if (outcome.status === 'timeout') return `timeout after ${timeoutSeconds} s, ${((outcome.heldShare ?? 0) * 100).toFixed(1)}% held`;
  return `FAILED: ${outcome.error}`;
}

async function main(): Promise<void> {
  const swept = sweepDeadRuns();
  if (swept.length > 0) console.log(`swept ${swept.length} namespaces of dead runs`);
  const environment = describeEnvironment();
  console.log(environmentLine(environment));
  const versions: Record<string, string> = {};
  for (const target of targets) versions[target.name] = await target.version();
  console.log(Object.values(versions).join(', '));

  const results: ScaleResults = { environment, loadAverageAtEnd: [], versions, runs, timeoutSeconds, quick, scenarios: [] };
  for (const scenario of scenarios) {
    console.log(`\n== ${scenario.name}: ${describeScenario(scenario)}`);
    const outcomes: RunOutcome[] = [];
    const given = new Set<string>();
    for (let run = 0; run < runs; run++) {
      const order = lineup.map((_, index) => lineup[(index + run) % lineup.length]);
      for (const target of order) {
        if (given.has(target.name)) continue;
        const outcome = await runTarget(target, scenario, {
          timeoutSeconds,
          establishTimeoutSeconds: 180,
          settleMs: 2_000,
        });
        outcomes.push(outcome);
        console.log(`  run ${run + 1} ${target.name}: ${describe(outcome)}`);
        // A target that timed out or failed once would do it again: the time goes to the others.
        if (outcome.status !== 'converged') given.add(target.name);
      }
    }
    const of = (name: string) => outcomes.filter((outcome) => outcome.target === name);
    const floor = summarise('tester', of('tester'), pathsHeld(scenario), undefined);
    const summaries = [floor, ...targets.map((target) => summarise(target.name, of(target.name), pathsHeld(scenario), floor.wallSeconds))];
    const scenarioResults: ScenarioResults = { scenario, outcomes, summaries, goals: checkGoals(scenario.name, summaries, timeoutSeconds) };
    results.scenarios.push(scenarioResults);
    console.log(`\n${renderScenario(scenarioResults, timeoutSeconds)}`);
    if (scenario.churn) console.log(`\n${renderChurn(scenarioResults)}`);
  }
  results.loadAverageAtEnd = loadAverage();
  console.log(`\n${renderScaleResults(results)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
}

await main();
