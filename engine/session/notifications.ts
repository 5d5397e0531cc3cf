/**
 * The NOTIFICATION messages the session sends (RFC 4271 section 4.5), with their code points.
 */
import { familyCodes } from '../wire/families.ts';
import type { Family, NotificationMessage, WireError } from '../wire/types.ts';
import type { CeaseCause } from './events.ts';
import type { SessionState } from './types.ts';

/** Error codes, RFC 4271 section 4.5 and RFC 7313 section 5. */
export const ERROR_CODE = {
  messageHeader: 1,
  open: 2,
  update: 3,
  holdTimerExpired: 4,
  fsm: 5,
  cease: 6,
  routeRefresh: 7,
} as const;

/** OPEN Message Error subcodes, RFC 4271 section 6.2 and RFC 5492 section 5. */
export const OPEN_SUBCODE = {
  unspecific: 0,
  unsupportedVersion: 1,
  badPeerAs: 2,
  badBgpIdentifier: 3,
  unsupportedOptionalParameter: 4,
  unacceptableHoldTime: 6,
  unsupportedCapability: 7,
} as const;

/** Cease subcodes, RFC 4486 section 4 and RFC 8538 section 3. */
export const CEASE = {
  maxPrefixes: 1,
  administrativeShutdown: 2,
  peerDeconfigured: 3,
  administrativeReset: 4,
  connectionRejected: 5,
  otherConfigurationChange: 6,
  connectionCollisionResolution: 7,
  outOfResources: 8,
  hardReset: 9,
} as const;

/** RFC 6608 section 3: the FSM Error subcode names the state an unexpected message arrived in. */
const UNEXPECTED_MESSAGE_SUBCODE: Partial<Record<SessionState, number>> = {
  OpenSent: 1,
  OpenConfirm: 2,
  Established: 3,
};

/** RFC 9003 section 2: the shutdown communication is at most 255 octets of UTF-8. */
const SHUTDOWN_MESSAGE_LIMIT = 255;

export function notification(code: number, subcode: number, data = ''): NotificationMessage {
  return { type: 'notification', code, subcode, data };
}

/** RFC 4271 section 6.5. */
export function holdTimerExpired(): NotificationMessage {
  return notification(ERROR_CODE.holdTimerExpired, 0);
}

/**
 * RFC 4271 section 6.6 with the RFC 6608 subcodes: an unexpected message names the state it came
 * in; any other unexpected event (a stray timer) is unspecific, subcode 0.
 */
export function fsmError(state: SessionState, unexpectedMessage: boolean): NotificationMessage {
  const subcode = unexpectedMessage ? (UNEXPECTED_MESSAGE_SUBCODE[state] ?? 0) : 0;
  return notification(ERROR_CODE.fsm, subcode);
}

/** The NOTIFICATION a decode error calls for (docs/wire-errors.md). */
export function fromWireError(error: WireError): NotificationMessage {
  return notification(error.code, error.subcode, error.data);
}

/** Cuts text to at most `limit` octets of UTF-8 without splitting a character. */
function truncateUtf8(text: string, limit: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= limit) return text;
  let kept = '';
  let octets = 0;
  for (const character of text) {
    const size = encoder.encode(character).length;
    if (octets + size > limit) break;
    kept += character;
    octets += size;
  }
  return kept;
}

/** A Cease (RFC 4271 section 6.7) with its RFC 4486 subcode and RFC 9003 shutdown communication. */
export function cease(cause: CeaseCause): NotificationMessage {
  const message = notification(ERROR_CODE.cease, cause.subcode, cause.data ?? '');
  if (cause.shutdownMessage !== undefined && cause.shutdownMessage !== '') {
    message.shutdownMessage = truncateUtf8(cause.shutdownMessage, SHUTDOWN_MESSAGE_LIMIT);
  }
  return message;
}

/** Cease/2 Administrative Shutdown (RFC 4486 section 4), the answer to a ManualStop. */
export function administrativeShutdown(shutdownMessage?: string): NotificationMessage {
  return cease({ subcode: CEASE.administrativeShutdown, shutdownMessage });
}

/** Cease/7 Connection Collision Resolution (RFC 4486 section 4), sent on the connection that loses. */
export function collisionResolution(): NotificationMessage {
  return cease({ subcode: CEASE.connectionCollisionResolution });
}

/**
 * The cause of an AutomaticStop for too many prefixes: Cease/1 with the family and the limit
 * (RFC 4486 section 4: AFI in 2 octets, SAFI in 1, the upper bound in 4).
 */
export function maximumPrefixesReached(family: Family, limit: number): CeaseCause {
  const { afi, safi } = familyCodes(family);
  const data = [
    afi.toString(16).padStart(4, '0'),
    safi.toString(16).padStart(2, '0'),
    limit.toString(16).padStart(8, '0'),
  ];
  return { subcode: CEASE.maxPrefixes, data: data.join('') };
}
