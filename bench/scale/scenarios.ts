/**
 * The scale scenarios: how many injector sessions announce how many /32s each, and how many
 * receiver sessions must end up holding all of them. Fan-out measures how fast a target replicates
 * one table to many peers; ingest how fast it takes in many peers' routes and passes them to one;
 * memory what a large table costs it; reflection with ADD-PATH how fast it hands every node's path
 * of every VIP to a thousand clients; churn what a steady stream of flaps costs it once loaded.
 */

export interface Scenario {
  name: string;
  injectors: number;
  receivers: number;
  /** /32s announced by each injector. */
  prefixesPerInjector: number;
  /**
   * Every injector announces the same prefixes, as the nodes of a cluster announce the same VIPs,
   * each with its own next hop; otherwise none is shared and every path is a different prefix.
   */
  sharedPrefixes?: boolean;
  /** Receivers negotiate ADD-PATH receive (RFC 7911) and must hold every injector's path of every prefix. */
  addPath?: boolean;
  /** Once every receiver holds everything, a share of the prefixes flaps (churn.ts). */
  churn?: ChurnPlan;
}

/**
 * A flap withdraws a prefix and announces it again `reannounceMs` later with another next hop (the
 * injector's second address), so a receiver knows the flap has gone through when it holds the new
 * next hop. Flaps start at a fixed rate, in ticks of `tickMs`.
 */
export interface ChurnPlan {
  /** Share of each injector's prefixes that flap, each once. */
  share: number;
  /** Flaps started per second, over all injectors. */
  flapsPerSecond: number;
  tickMs: number;
  reannounceMs: number;
}

/** Every scenario at full size, in report order. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'fanout-100x10k', injectors: 1, receivers: 100, prefixesPerInjector: 10_000 },
  { name: 'fanout-1000x1k', injectors: 1, receivers: 1_000, prefixesPerInjector: 1_000 },
  { name: 'ingest-1000x100', injectors: 1_000, receivers: 1, prefixesPerInjector: 100 },
  { name: 'ingest-10x10k', injectors: 10, receivers: 1, prefixesPerInjector: 10_000 },
  { name: 'ingest-100x1k', injectors: 100, receivers: 1, prefixesPerInjector: 1_000 },
  { name: 'memory', injectors: 10, receivers: 1, prefixesPerInjector: 50_000 },
  { name: 'reflection-addpath', injectors: 3, receivers: 1_000, prefixesPerInjector: 10_000, sharedPrefixes: true, addPath: true },
  {
    name: 'churn', injectors: 10, receivers: 10, prefixesPerInjector: 10_000,
    churn: { share: 0.1, flapsPerSecond: 1_000, tickMs: 100, reannounceMs: 500 },
  },
];

/** `--quick`: the same shapes at a size a smoke run finishes in seconds. */
export const QUICK_SCENARIOS: readonly Scenario[] = SCENARIOS.map((scenario) => ({
  ...scenario,
  // Shared prefixes keep their few injectors: the paths per prefix are the point.
  injectors: scenario.sharedPrefixes ? scenario.injectors : Math.max(1, Math.ceil(scenario.injectors / 50)),
  receivers: Math.max(1, Math.ceil(scenario.receivers / 50)),
  prefixesPerInjector: Math.max(10, Math.ceil(scenario.prefixesPerInjector / 100)),
}));

/** Paths the target holds once loaded: every injector's prefixes, one path each. */
export function pathsHeld(scenario: Scenario): number {
  return scenario.injectors * scenario.prefixesPerInjector;
}

/** Distinct prefixes of the run. */
export function prefixCount(scenario: Scenario): number {
  return scenario.sharedPrefixes ? scenario.prefixesPerInjector : pathsHeld(scenario);
}

/** Paths a receiver must hold per prefix: one, or every injector's with ADD-PATH. */
export function pathsPerPrefix(scenario: Scenario): number {
  return scenario.sharedPrefixes && scenario.addPath ? scenario.injectors : 1;
}

/** Sessions the tester opens to the target: injectors first, then receivers. */
export function sessionCount(scenario: Scenario): number {
  return scenario.injectors + scenario.receivers;
}

/** The scenario in one line: "1 injector × 10,000 prefixes → 100 receivers". */
export function describeScenario(scenario: Scenario): string {
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const prefixes = count(scenario.prefixesPerInjector, 'prefix').replace('prefixs', 'prefixes');
  const shared = scenario.sharedPrefixes ? ' (the same prefixes)' : '';
  const addPath = scenario.addPath ? ' with ADD-PATH' : '';
  const churn = scenario.churn
    ? `; then ${scenario.churn.share * 100}% of the prefixes flap once each, ${scenario.churn.flapsPerSecond.toLocaleString('en-US')} flaps/s`
    : '';
  return `${count(scenario.injectors, 'injector')} × ${prefixes}${shared} → ${count(scenario.receivers, 'receiver')}${addPath}; ` +
    `${pathsHeld(scenario).toLocaleString('en-US')} paths held${churn}`;
}
