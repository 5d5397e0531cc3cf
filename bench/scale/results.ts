/** The scale benchmark's JSON results and their Markdown for bench/README.md. */
import type { Environment } from '../environment.ts';
import { markdownTable } from '../markdown-table.ts';
import type { RunOutcome } from './run-target.ts';
import { describeScenario, type Scenario } from './scenarios.ts';
import { type Goal, type Metric, type TargetSummary, ratio } from './summary.ts';

export interface ScenarioResults {
  scenario: Scenario;
  /** Every run, in the order run. */
  outcomes: RunOutcome[];
  summaries: TargetSummary[];
  goals: Goal[];
}

export interface ScaleResults {
  environment: Environment;
  /** Load average (1, 5, 15 min) when the last scenario ended. */
  loadAverageAtEnd: number[];
  /** Target name to package and version. */
  versions: Record<string, string>;
  runs: number;
  timeoutSeconds: number;
  quick: boolean;
  scenarios: ScenarioResults[];
}

const seconds = (value: number | undefined) => (value === undefined ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const megabytes = (value: number | undefined) => (value === undefined ? '–' : (value / 2 ** 20).toFixed(0));

function wall(summary: TargetSummary, timeoutSeconds: number): string {
  if (summary.timeout) return `> ${timeoutSeconds} s (timeout, ${(summary.timeout.heldShare * 100).toFixed(0)}% held)`;
  if (summary.failure && summary.wallSeconds === undefined) return `failed: ${summary.failure.slice(0, 60)}`;
  return `${seconds(summary.wallSeconds)}${summary.testerBound ? ' (tester-bound)' : ''}`;
}

/** The per-target table of one scenario. */
export function renderScenario(results: ScenarioResults, timeoutSeconds: number): string {
  const rows = results.summaries.map((summary) => [
    summary.target,
    `${summary.converged}/${summary.runs}`,
    wall(summary, timeoutSeconds),
    seconds(summary.cpuSeconds),
    megabytes(summary.peakRssBytes),
    megabytes(summary.rssPerMillionPathsBytes),
    seconds(summary.testerCpuSeconds),
  ]);
  return markdownTable(
    ['target', 'converged', 'wall s', 'target CPU s', 'peak RSS MiB', 'RSS growth MiB / M paths', 'tester CPU s'],
    rows,
    [false, true, false, true, true, true, true],
  );
}

/** The churn phase's table of one scenario. */
export function renderChurn(results: ScenarioResults): string {
  const rows = results.summaries.flatMap(({ target, churn }) => churn === undefined ? [] : [[
    target,
    churn.flaps.toLocaleString('en-US'),
    seconds(churn.targetCpuSeconds),
    churn.cpuMicrosPerUpdate.toFixed(1),
    (churn.lagMedianSeconds * 1000).toFixed(0),
    (churn.lagMaxSeconds * 1000).toFixed(0),
    (churn.tailSeconds * 1000).toFixed(0),
    Math.round(churn.updates).toLocaleString('en-US'),
  ]]);
  return markdownTable(
    ['target', 'flaps', 'target CPU s', 'CPU µs / update sent', 'lag median ms', 'lag max ms', 'after the last flap ms', 'UPDATEs received'],
    rows,
    [false, true, true, true, true, true, true, true],
  );
}

const RATIO_METRICS: [Metric, string][] = [['wallSeconds', 'wall'], ['cpuSeconds', 'CPU'], ['peakRssBytes', 'peak RSS'], ['rssPerMillionPathsBytes', 'RSS / M paths']];

/** Porter's ratios to each router, one row per scenario. */
export function renderRatios(results: ScaleResults): string {
  const others = ['bird', 'frr', 'gobgp', 'openbgpd'];
  const headers = ['scenario', ...others.flatMap((other) => RATIO_METRICS.slice(0, 2).map(([, name]) => `Porter/${other} ${name}`))];
  const rows = results.scenarios.map((scenario) => {
    const byTarget = new Map(scenario.summaries.map((summary) => [summary.target, summary]));
    return [scenario.scenario.name, ...others.flatMap((other) =>
      RATIO_METRICS.slice(0, 2).map(([metric]) => ratio(byTarget.get('porter'), byTarget.get(other), metric, results.timeoutSeconds)))];
  });
  return markdownTable(headers, rows, headers.map((_, column) => column > 0));
}

/** The goals, one row each. */
export function renderGoals(results: ScaleResults): string {
  const rows = results.scenarios.flatMap((scenario) => scenario.goals).map((goal) => [
    goal.scenario, goal.text, goal.detail, goal.met === undefined ? '–' : goal.met ? 'yes' : '**no**',
  ]);
  return markdownTable(['scenario', 'Porter aims for', 'Porter / other', 'met'], rows, [false, false, true, false]);
}

/** The whole Markdown section body. */
export function renderScaleResults(results: ScaleResults): string {
  const parts = [
    `Targets: ${Object.values(results.versions).join(', ')}. Median of ${results.runs} run${results.runs === 1 ? '' : 's'} per target; ` +
      `timeout ${results.timeoutSeconds} s per run (a target that times out once is not run again in that scenario).` +
      (results.quick ? ' **Quick sizes** (smoke run).' : ''),
  ];
  for (const scenario of results.scenarios) {
    parts.push(`**${scenario.scenario.name}**: ${describeScenario(scenario.scenario)}\n\n${renderScenario(scenario, results.timeoutSeconds)}`);
    if (scenario.scenario.churn) parts.push(`Churn, once loaded (lag: from a flap's announcement again to the last receiver holding it):\n\n${renderChurn(scenario)}`);
  }
  parts.push(`**Porter / other, same run** (below 1: Porter lower):\n\n${renderRatios(results)}`);
  parts.push(`**Goals**:\n\n${renderGoals(results)}`);
  return parts.join('\n\n');
}
