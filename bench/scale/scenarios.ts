/**
 * The scale scenarios: how many injector sessions announce how many /32s each, and how many
 * receiver sessions must end up holding all of them. Fan-out measures how fast a target replicates
 * one table to many peers; ingest how fast it takes in many peers' routes and passes them to one;
 * memory what a large table costs it.
 */

export interface Scenario {
  name: string;
  injectors: number;
  receivers: number;
  /** /32s announced by each injector, none shared: every path a target holds is a different prefix. */
  prefixesPerInjector: number;
}

/** Every scenario at full size, in report order. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'fanout-100x10k', injectors: 1, receivers: 100, prefixesPerInjector: 10_000 },
  { name: 'fanout-1000x1k', injectors: 1, receivers: 1_000, prefixesPerInjector: 1_000 },
  { name: 'ingest-1000x100', injectors: 1_000, receivers: 1, prefixesPerInjector: 100 },
  { name: 'ingest-10x10k', injectors: 10, receivers: 1, prefixesPerInjector: 10_000 },
  { name: 'ingest-100x1k', injectors: 100, receivers: 1, prefixesPerInjector: 1_000 },
  { name: 'memory', injectors: 10, receivers: 1, prefixesPerInjector: 50_000 },
];

/** `--quick`: the same shapes at a size a smoke run finishes in seconds. */
export const QUICK_SCENARIOS: readonly Scenario[] = SCENARIOS.map((scenario) => ({
  ...scenario,
  injectors: Math.max(1, Math.ceil(scenario.injectors / 50)),
  receivers: Math.max(1, Math.ceil(scenario.receivers / 50)),
  prefixesPerInjector: Math.max(10, Math.ceil(scenario.prefixesPerInjector / 100)),
}));

/** Paths the target holds once loaded: every injector's prefixes, one path each. */
export function pathsHeld(scenario: Scenario): number {
  return scenario.injectors * scenario.prefixesPerInjector;
}

/** Sessions the tester opens to the target: injectors first, then receivers. */
export function sessionCount(scenario: Scenario): number {
  return scenario.injectors + scenario.receivers;
}

/** The scenario in one line: "1 injector × 10,000 prefixes → 100 receivers". */
export function describeScenario(scenario: Scenario): string {
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  return `${count(scenario.injectors, 'injector')} × ${count(scenario.prefixesPerInjector, 'prefix').replace('prefixs', 'prefixes')} → ` +
    `${count(scenario.receivers, 'receiver')}; ${pathsHeld(scenario).toLocaleString('en-US')} paths held`;
}
