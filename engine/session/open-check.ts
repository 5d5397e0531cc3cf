/**
 * The checks of a received OPEN that need the peering's configuration (RFC 4271 section 6.2). The
 * codec has already checked what the bytes alone tell: version, hold time 1 or 2, a zero identifier,
 * optional parameters (docs/wire-errors.md).
 */
import type { Capability, NotificationMessage, OpenMessage } from '../wire/types.ts';
import { capabilityData } from './capability-data.ts';
import { announcedFamilies } from './negotiate.ts';
import { ERROR_CODE, notification, OPEN_SUBCODE } from './notifications.ts';
import { AS_TRANS } from './open.ts';
import type { RequiredCapability, SessionConfig } from './types.ts';

const openError = (subcode: number, data = ''): NotificationMessage => notification(ERROR_CODE.open, subcode, data);

/**
 * The peer's AS, or undefined when its OPEN contradicts itself (RFC 6793 section 4.1): the 4-octet
 * AS capability must not carry AS_TRANS, and My Autonomous System must then be AS_TRANS or the same
 * number; without the capability, AS_TRANS names no AS at all.
 */
function peerAs(open: OpenMessage): number | undefined {
  const capability = open.capabilities.find((c) => c.type === 'four-octet-as');
  if (capability === undefined) return open.myAs === AS_TRANS ? undefined : open.myAs;
  if (capability.asn === AS_TRANS) return undefined;
  if (open.myAs !== AS_TRANS && open.myAs !== capability.asn) return undefined;
  return capability.asn;
}

function isMissing(required: RequiredCapability, open: OpenMessage): boolean {
  if (typeof required === 'object') return !announcedFamilies(open).includes(required.family);
  return !open.capabilities.some((capability) => capability.type === required);
}

/** Our own announcement of a required capability: what the 2/7 data lists (RFC 5492 section 5). */
function ourAnnouncement(required: RequiredCapability, local: OpenMessage): Capability[] {
  if (typeof required === 'object') {
    return [{ type: 'multiprotocol', family: required.family }];
  }
  return local.capabilities.filter((capability) => capability.type === required);
}

/**
 * The NOTIFICATION that rejects the peer's OPEN, or undefined when it is acceptable. `local` is the
 * OPEN we sent or are about to send.
 */
export function checkOpen(
  open: OpenMessage,
  config: SessionConfig,
  local: OpenMessage,
): NotificationMessage | undefined {
  // RFC 4271 section 6.2: a Hold Time of one or two seconds MUST be rejected.
  if (open.holdTime === 1 || open.holdTime === 2) return openError(OPEN_SUBCODE.unacceptableHoldTime);

  // RFC 4271 section 6.2: the AS must be the one configured, which is never AS 0 (RFC 7607 section 2).
  const asn = peerAs(open);
  if (asn === undefined || asn !== config.peerAs) return openError(OPEN_SUBCODE.badPeerAs);

  // RFC 6286 section 2.2: a zero identifier, or ours from an internal peer, is a Bad BGP Identifier.
  const internal = asn === config.localAs;
  if (open.bgpId === '0.0.0.0' || (internal && open.bgpId === config.routerId)) {
    return openError(OPEN_SUBCODE.badBgpIdentifier);
  }

  // RFC 5492 section 5: refusing a peer that lacks a capability we need is our choice; the Data
  // field lists the capabilities in question.
  const missing = config.requiredCapabilities.filter((required) => isMissing(required, open));
  if (missing.length > 0) {
    const listed = missing.flatMap((required) => ourAnnouncement(required, local));
    return openError(OPEN_SUBCODE.unsupportedCapability, capabilityData(listed));
  }
  return undefined;
}
