/**
 * Session configuration with its defaults. The values follow RFC 4271 section 10 where it suggests
 * one, except the retry timers: a load balancer wants its sessions back within seconds, so they
 * start short and back off.
 */
import type { Backoff, SessionConfig } from './types.ts';

/** What a peering must state; everything else has a default. */
export type SessionConfigInput = Pick<SessionConfig, 'localAs' | 'routerId' | 'peerAs'> & Partial<SessionConfig>;

export const SESSION_DEFAULTS: Omit<SessionConfig, 'localAs' | 'routerId' | 'peerAs'> = {
  holdTime: 90,
  families: ['ipv4-unicast'],
  routeRefresh: true,
  enhancedRouteRefresh: true,
  extendedMessage: true,
  addPath: [],
  extendedNextHop: [],
  requiredCapabilities: [],
  passive: false,
  delayOpenTime: 0,
  openHoldTime: 240,
  connectRetry: { base: 5, cap: 120 },
  idleHold: { base: 5, cap: 300 },
  dampingResetTime: 300,
  automaticRestart: true,
  dampPeerOscillations: true,
  sendNotificationWithoutOpen: true,
  collisionDetectEstablishedState: false,
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isAsn(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 0xffffffff;
}

function isBackoff({ base, cap }: Backoff): boolean {
  return base > 0 && cap >= base;
}

/** What is wrong with a configuration that no session could run with, or undefined. */
export function configProblem(config: SessionConfig): string | undefined {
  if (!isAsn(config.localAs)) return `local AS ${config.localAs} is not an AS number`;
  if (!isAsn(config.peerAs)) return `peer AS ${config.peerAs} is not an AS number`;
  // RFC 6286 section 2.1: a non-zero 4-octet value, written as an IPv4 address.
  if (!IPV4.test(config.routerId) || config.routerId === '0.0.0.0') return `router id ${config.routerId} is not usable`;
  // RFC 4271 section 4.2: zero, or at least three seconds.
  const { holdTime } = config;
  if (!Number.isInteger(holdTime) || holdTime < 0 || holdTime > 0xffff || holdTime === 1 || holdTime === 2) {
    return `hold time ${holdTime} is neither 0 nor 3 to 65535 seconds`;
  }
  if (!(config.openHoldTime > 0)) return `OpenSent hold time ${config.openHoldTime} is not positive`;
  if (!isBackoff(config.connectRetry)) return 'ConnectRetry backoff needs 0 < base <= cap';
  if (!isBackoff(config.idleHold)) return 'IdleHold backoff needs 0 < base <= cap';
  if (!(config.delayOpenTime >= 0)) return `DelayOpen time ${config.delayOpenTime} is negative`;
  if (!(config.dampingResetTime > 0)) return `damping reset time ${config.dampingResetTime} is not positive`;
  return undefined;
}

/** Fills in the defaults (a key given as `undefined` takes its default too); throws RangeError on a config no session could run with. */
export function sessionConfig(input: SessionConfigInput): SessionConfig {
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const config = { ...SESSION_DEFAULTS, ...given } as SessionConfig;
  const problem = configProblem(config);
  if (problem !== undefined) throw new RangeError(problem);
  return config;
}
