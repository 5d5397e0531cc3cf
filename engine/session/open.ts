/**
 * Our OPEN message (RFC 4271 section 4.2), built from the peering's configuration.
 */
import type { Capability, OpenMessage } from '../wire/types.ts';
import type { SessionConfig } from './types.ts';

/** The 2-octet stand-in for an AS number above 65535 (RFC 6793). */
export const AS_TRANS = 23456;

/** RFC 4271 section 4.2. */
const BGP_VERSION = 4;

/**
 * The capabilities we announce (RFC 5492), in ascending order of capability code so that the same
 * configuration always gives the same bytes. The 4-octet AS capability is always sent: that is how
 * a speaker that supports 4-octet AS numbers makes itself known (RFC 6793).
 */
export function localCapabilities(config: SessionConfig): Capability[] {
  const capabilities: Capability[] = config.families.map((family) => ({ type: 'multiprotocol', family }));
  if (config.routeRefresh) capabilities.push({ type: 'route-refresh' });
  if (config.extendedNextHop.length > 0) {
    capabilities.push({
      type: 'extended-next-hop',
      entries: config.extendedNextHop.map(({ family, nextHopAfi }) => ({ family, nextHopAfi })),
    });
  }
  if (config.extendedMessage) capabilities.push({ type: 'extended-message' });
  const restart = config.gracefulRestart;
  if (restart !== undefined) {
    capabilities.push({
      type: 'graceful-restart',
      restarting: restart.restarting,
      notification: restart.notification,
      restartTime: restart.restartTime,
      families: restart.families.map(({ family, forwarding }) => ({ family, forwarding })),
    });
  }
  capabilities.push({ type: 'four-octet-as', asn: config.localAs });
  if (config.addPath.length > 0) {
    capabilities.push({ type: 'add-path', families: config.addPath.map(({ family, mode }) => ({ family, mode })) });
  }
  if (config.enhancedRouteRefresh) capabilities.push({ type: 'enhanced-route-refresh' });
  const longLived = config.longLivedGracefulRestart;
  if (longLived !== undefined) {
    capabilities.push({
      type: 'long-lived-graceful-restart',
      families: longLived.families.map(({ family, forwarding, staleTime }) => ({ family, forwarding, staleTime })),
    });
  }
  return capabilities;
}

/** Our OPEN: an AS above 65535 travels as AS_TRANS, the real one in the capability (RFC 6793 section 4.1). */
export function buildOpen(config: SessionConfig): OpenMessage {
  return {
    type: 'open',
    version: BGP_VERSION,
    myAs: config.localAs > 0xffff ? AS_TRANS : config.localAs,
    holdTime: config.holdTime,
    bgpId: config.routerId,
    capabilities: localCapabilities(config),
  };
}
