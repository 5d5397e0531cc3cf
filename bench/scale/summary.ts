/**
 * From runs to a report: each target's medians in a scenario, whether the tester bounds it, Porter's
 * ratios to the other routers measured in the same invocation, and the comparisons Porter aims for.
 */
import { median } from '../measure.ts';
import type { RunOutcome } from './run-target.ts';

/** A target whose median wall time is within this share of the tester's own is flagged: the tester may be what limits it. */
export const TESTER_BOUND_MARGIN = 0.1;

/** One target's medians in one scenario, over its converged runs. */
export interface TargetSummary {
  target: string;
  runs: number;
  converged: number;
  /** Set when any run timed out: the whole target counts as a timeout, with the share held at the first. */
  timeout?: { heldShare: number };
  /** Set when a run failed for another reason. */
  failure?: string;
  wallSeconds?: number;
  cpuSeconds?: number;
  peakRssBytes?: number;
  /** Resident growth over the load, per million paths held, in octets. */
  rssPerMillionPathsBytes?: number;
  testerCpuSeconds?: number;
  testerBound: boolean;
  /** Churn scenarios: medians of the flapping phase. */
  churn?: ChurnSummary;
}

export interface ChurnSummary {
  flaps: number;
  targetCpuSeconds: number;
  /** Target CPU per prefix update the injectors sent (a flap is two: the withdrawal and the announcement). */
  cpuMicrosPerUpdate: number;
  lagMedianSeconds: number;
  lagMaxSeconds: number;
  tailSeconds: number;
  /** UPDATE messages all receivers got over the phase. */
  updates: number;
}

function summariseChurn(outcomes: RunOutcome[]): ChurnSummary | undefined {
  const churns = outcomes.flatMap((outcome) => (outcome.churn ? [outcome.churn] : []));
  if (churns.length === 0) return undefined;
  const of = (pick: (churn: (typeof churns)[number]) => number) => median(churns.map(pick));
  return {
    flaps: churns[0].flaps,
    targetCpuSeconds: of((churn) => churn.targetCpuSeconds),
    cpuMicrosPerUpdate: of((churn) => (churn.targetCpuSeconds / (2 * churn.flaps)) * 1e6),
    lagMedianSeconds: of((churn) => churn.lagMedianSeconds),
    lagMaxSeconds: of((churn) => churn.lagMaxSeconds),
    tailSeconds: of((churn) => churn.tailSeconds),
    updates: of((churn) => churn.updates),
  };
}

const medianOf = (values: (number | undefined)[]): number | undefined => {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length > 0 ? median(present) : undefined;
};

/** Summarises one target's runs of a scenario in which the target held `paths` paths. */
export function summarise(target: string, outcomes: RunOutcome[], paths: number, testerWallSeconds: number | undefined): TargetSummary {
  const converged = outcomes.filter((outcome) => outcome.status === 'converged');
  const timedOut = outcomes.find((outcome) => outcome.status === 'timeout');
  const failed = outcomes.find((outcome) => outcome.status === 'failed');
  const wallSeconds = timedOut ? undefined : medianOf(converged.map((outcome) => outcome.wallSeconds));
  const growth = converged.map((outcome) =>
    outcome.rssAfterBytes === undefined || outcome.rssBeforeBytes === undefined ? undefined : ((outcome.rssAfterBytes - outcome.rssBeforeBytes) / paths) * 1e6,
  );
  return {
    target,
    runs: outcomes.length,
    converged: converged.length,
    ...(timedOut ? { timeout: { heldShare: timedOut.heldShare ?? 0 } } : {}),
    ...(failed ? { failure: failed.error?.split('\n')[0] ?? 'failed' } : {}),
    wallSeconds,
    cpuSeconds: medianOf(converged.map((outcome) => outcome.cpuSeconds)),
    peakRssBytes: medianOf(converged.map((outcome) => outcome.peakRssBytes)),
    rssPerMillionPathsBytes: medianOf(growth),
    testerCpuSeconds: medianOf(converged.map((outcome) => outcome.testerCpuSeconds)),
    testerBound: target !== 'tester' && wallSeconds !== undefined && testerWallSeconds !== undefined &&
      wallSeconds <= testerWallSeconds * (1 + TESTER_BOUND_MARGIN),
    ...(timedOut ? {} : { churn: summariseChurn(converged) }),
  };
}

export type Metric = 'wallSeconds' | 'cpuSeconds' | 'peakRssBytes' | 'rssPerMillionPathsBytes';

/**
 * Porter's figure divided by another target's. A timed-out target took longer than the timeout, so
 * against it Porter's wall-time ratio is an upper bound ("<"), and Porter timing out is a lower
 * bound (">"); both timing out gives no ratio.
 */
export function ratio(porter: TargetSummary | undefined, other: TargetSummary | undefined, metric: Metric, timeoutSeconds: number): string {
  if (!porter || !other) return '–';
  if (metric === 'wallSeconds') {
    if (porter.timeout && other.timeout) return '–';
    if (other.timeout && porter.wallSeconds !== undefined) return `< ${(porter.wallSeconds / timeoutSeconds).toFixed(2)}`;
    if (porter.timeout && other.wallSeconds !== undefined) return `> ${(timeoutSeconds / other.wallSeconds).toFixed(2)}`;
  }
  const mine = porter[metric];
  const theirs = other[metric];
  if (mine === undefined || theirs === undefined || theirs <= 0) return '–';
  return (mine / theirs).toFixed(2);
}

/** One comparison Porter aims for, and whether this run met it. */
export interface Goal {
  scenario: string;
  text: string;
  /** undefined: a figure it needs is missing (a failure, say). */
  met?: boolean;
  detail: string;
}

type Check = (summaries: Map<string, TargetSummary>, timeoutSeconds: number) => Omit<Goal, 'scenario'>;

/** `mine` within `factor` of `theirs`, on `metric`; a timed-out `theirs` counts as the timeout itself. */
function within(other: string, metric: Metric, factor: number, text: string): Check {
  return (summaries, timeoutSeconds) => {
    const porter = summaries.get('porter');
    const them = summaries.get(other);
    const theirs = metric === 'wallSeconds' && them?.timeout ? timeoutSeconds : them?.[metric];
    const mine = porter?.[metric];
    if (mine === undefined || theirs === undefined || theirs <= 0) return { text, detail: 'not measured' };
    const ratioText = `${(mine / theirs).toFixed(2)}×${them?.timeout ? ` (${other} timed out)` : ''}`;
    return { text, met: factor === 1 ? mine < theirs : mine <= theirs * factor, detail: ratioText };
  };
}

/** The comparisons per scenario. */
const GOALS: Record<string, Check[]> = {
  'fanout-100x10k': [within('bird', 'wallSeconds', 1, 'wall time below BIRD'), within('frr', 'cpuSeconds', 3, 'CPU within 3× of FRR')],
  'fanout-1000x1k': [within('bird', 'wallSeconds', 1, 'wall time below BIRD'), within('frr', 'cpuSeconds', 3, 'CPU within 3× of FRR')],
  'ingest-1000x100': [within('frr', 'wallSeconds', 1, 'wall time below FRR')],
  'ingest-10x10k': [within('bird', 'wallSeconds', 1.5, 'wall time within 1.5× of BIRD')],
  'ingest-100x1k': [within('bird', 'wallSeconds', 1.5, 'wall time within 1.5× of BIRD')],
  memory: [within('bird', 'rssPerMillionPathsBytes', 2, 'memory per million paths within 2× of BIRD')],
};

/** The goals of a scenario checked against its summaries. */
export function checkGoals(scenario: string, summaries: TargetSummary[], timeoutSeconds: number): Goal[] {
  const byTarget = new Map(summaries.map((summary) => [summary.target, summary]));
  return (GOALS[scenario] ?? []).map((check) => ({ scenario, ...check(byTarget, timeoutSeconds) }));
}
