/**
 * Session configuration with its defaults. The values follow RFC 4271 section 10 where it suggests
 * one, except the retry timers: a load balancer wants its sessions back within seconds, so they
 * start short and back off.
 */
import type { SessionConfig } from './types.ts';

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

/** Fills in the defaults; a key given as `undefined` takes its default too. */
export function sessionConfig(input: SessionConfigInput): SessionConfig {
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...SESSION_DEFAULTS, ...given } as SessionConfig;
}
