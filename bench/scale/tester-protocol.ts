/** What the orchestrator (bench/scale/run.ts) and the tester process tell each other over IPC. */
import type { Scenario } from './scenarios.ts';

export interface TesterSetup {
  scenario: Scenario;
  /** The target's address; every session dials its port 179. */
  target: string;
  holdTime: number;
  /** Sessions connecting at once: a burst of 1,000 SYNs would overflow a daemon's listen queue. */
  connectConcurrency: number;
  /** Seconds from `connect` until the run fails for want of Established sessions. */
  establishTimeoutSeconds: number;
  /** Seconds from release until the run is abandoned as a timeout. */
  timeoutSeconds: number;
}

export type TesterCommand =
  | { type: 'setup'; setup: TesterSetup }
  /** Open every session; report `established` once all are. */
  | { type: 'connect' }
  /** Injectors send their routes; the clock starts. */
  | { type: 'release' }
  /** Once converged, in a churn scenario: the injectors flap their prefixes on schedule. */
  | { type: 'churn' };

export type TesterReport =
  | { type: 'ready' }
  | { type: 'established'; seconds: number }
  | { type: 'converged'; result: TesterResult }
  | { type: 'churned'; result: ChurnResult }
  | { type: 'timeout'; held: number; expected: number }
  | { type: 'failed'; error: string };

export interface TesterResult {
  /** From release to the moment every receiver held every prefix. */
  seconds: number;
  /** The tester's own CPU over the same window. */
  cpuSeconds: number;
  /** UPDATE messages and octets the receivers got. */
  updates: number;
  octets: number;
}

export interface ChurnResult {
  /** Prefixes withdrawn and announced again, each once. */
  flaps: number;
  /** From the first flap sent to the moment every receiver held every flapped prefix's new next hop. */
  seconds: number;
  /** From the last UPDATE the injectors sent to that moment. */
  tailSeconds: number;
  /** Per flap, from its announcement again to the last receiver holding it: median and largest. */
  lagMedianSeconds: number;
  lagMaxSeconds: number;
  cpuSeconds: number;
  /** UPDATE messages the receivers got over the churn. */
  updates: number;
}
