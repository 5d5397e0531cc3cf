/**
 * What one configured peer means to the two halves of the speaker: the session driver (our OPEN
 * and the transport) and the RIB (policies, reflection, limits). Kept apart so that a change can be
 * told to need a new session (driver-config.ts, `configChange`) or only new RIB settings.
 */
import type { PeerSpec } from '../rib/rib.ts';
import type { Policy } from '../rib/policy.ts';
import { SESSION_DEFAULTS } from '../session/config.ts';
import type { PeerConfigInput } from '../session/driver-config.ts';
import type { AddPathConfig } from '../session/types.ts';
import type { SpeakerConfig, SpeakerPeerConfig } from './config.ts';

/** The ConnectRetry backoff never waits longer than this between attempts. */
const CONNECT_RETRY_CAP = 120;

/** ConnectRetry seconds when only the cap is configured: the session layer's default. */
const DEFAULT_CONNECT_RETRY = SESSION_DEFAULTS.connectRetry.base;

export function peerFamilies(peer: SpeakerPeerConfig): string[] {
  return peer.families ?? ['ipv4-unicast'];
}

/** Graceful restart is announced to a peer when the speaker has it and the peer does not turn it off. */
export function gracefulRestartWith(speaker: SpeakerConfig, peer: SpeakerPeerConfig): boolean {
  return speaker.gracefulRestart !== undefined && peer.gracefulRestart !== false;
}

/** Long-lived graceful restart needs the peer's `llgr` and a stale time. */
export function llgrWith(speaker: SpeakerConfig, peer: SpeakerPeerConfig): boolean {
  return peer.llgr === true && (speaker.gracefulRestart?.llgrStaleTime ?? 0) > 0;
}

/** The session driver's configuration of a peer. */
export function driverConfig(speaker: SpeakerConfig, peer: SpeakerPeerConfig): PeerConfigInput {
  const families = peerFamilies(peer);
  const addPath: AddPathConfig[] = Object.entries(peer.addPath ?? {}).flatMap(([family, mode]) =>
    mode === undefined ? [] : [{ family, mode }],
  );
  const input: PeerConfigInput = {
    localAs: speaker.asn,
    routerId: speaker.routerId,
    peerAs: peer.asn,
    remoteAddress: peer.address,
    families,
    addPath,
  };
  if (peer.port !== undefined) input.remotePort = peer.port;
  if (peer.localAddress !== undefined) input.localAddress = peer.localAddress;
  if (peer.passive !== undefined) input.passive = peer.passive;
  if (peer.holdTime !== undefined) input.holdTime = peer.holdTime;
  if (peer.connectRetry !== undefined || peer.connectRetryMax !== undefined) {
    const base = peer.connectRetry ?? Math.min(DEFAULT_CONNECT_RETRY, peer.connectRetryMax ?? DEFAULT_CONNECT_RETRY);
    input.connectRetry = { base, cap: peer.connectRetryMax ?? Math.max(base, CONNECT_RETRY_CAP) };
  }
  if (peer.password !== undefined) input.password = peer.password;
  if (peer.ttlSecurity !== undefined) input.ttlSecurityHops = peer.ttlSecurity;
  if (peer.multihop !== undefined) input.ttl = peer.multihop;
  if (peer.extendedMessage !== undefined) input.extendedMessage = peer.extendedMessage;
  if (peer.extendedNextHop === true && families.includes('ipv4-unicast')) {
    // RFC 8950 section 4: IPv4 unicast NLRI with an IPv6 next hop (AFI 2).
    input.extendedNextHop = [{ family: 'ipv4-unicast', nextHopAfi: 2 }];
  }
  const gr = speaker.gracefulRestart;
  if (gr !== undefined && gracefulRestartWith(speaker, peer)) {
    input.gracefulRestart = {
      restartTime: gr.restartTime,
      restarting: gr.restarting,
      // Without the N bit (RFC 8538) a NOTIFICATION ends the session for good: an operator's
      // shutdown withdraws our routes at once rather than leaving them stale.
      notification: false,
      // The node's forwarding does not live in this process, so it survives a restart of it
      // (RFC 4724 section 3, F bit): peers keep forwarding along our routes meanwhile.
      families: families.map((family) => ({ family, forwarding: true })),
    };
    if (llgrWith(speaker, peer)) {
      input.longLivedGracefulRestart = {
        families: families.map((family) => ({ family, forwarding: true, staleTime: gr.llgrStaleTime })),
      };
    }
  }
  return input;
}

/** A policy that also sets our address as next hop on whatever it accepts. */
function withNextHopSelf(policy: Policy | undefined): Policy {
  const statements = (policy?.statements ?? []).map((statement) =>
    statement.decision === 'accept'
      ? { ...statement, actions: { nextHop: 'self' as const, ...statement.actions } }
      : statement,
  );
  if (policy?.otherwise !== 'reject') statements.push({ actions: { nextHop: 'self' }, decision: 'accept' });
  return { statements };
}

/** The RIB's settings of a peer, short of what its session tells (the negotiated session, our addresses). */
export type RibSettings = Pick<PeerSpec, 'rrClient' | 'importPolicy' | 'exportPolicy' | 'maxPrefixes' | 'addPathPaths'>;

export function ribSettings(speaker: SpeakerConfig, peer: SpeakerPeerConfig): RibSettings {
  const settings: RibSettings = {};
  // Without a cluster id this speaker reflects nothing: every iBGP peer is a plain peer.
  if (peer.rrClient === true && speaker.clusterId !== undefined) settings.rrClient = true;
  if (peer.importPolicy !== undefined) settings.importPolicy = peer.importPolicy;
  const exportPolicy = peer.nextHopSelf === true ? withNextHopSelf(peer.exportPolicy) : peer.exportPolicy;
  if (exportPolicy !== undefined) settings.exportPolicy = exportPolicy;
  if (peer.maxPrefix !== undefined) settings.maxPrefixes = peer.maxPrefix;
  if (peer.addPathSendMax !== undefined) settings.addPathPaths = peer.addPathSendMax;
  return settings;
}
