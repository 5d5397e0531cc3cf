/**
 * The inputs of the session FSM, named after RFC 4271 section 8.1, and the mapping from what the
 * codec decoded to the event it raises.
 */
import type {
  DecodeResult,
  Family,
  NotificationMessage,
  OpenMessage,
  RouteRefreshMessage,
  UpdateMessage,
  WireError,
} from '../wire/types.ts';

/** A Cease NOTIFICATION (RFC 4486) chosen by the local system. */
export interface CeaseCause {
  subcode: number;
  /** Hex, for instance the AFI, SAFI and limit of Maximum Number of Prefixes Reached (RFC 4486 section 4). */
  data?: string;
  /** RFC 9003 shutdown communication, for subcodes 2 and 4. */
  shutdownMessage?: string;
}

type EventBody =
  // Administrative events, RFC 4271 section 8.1.2.
  | { type: 'ManualStart' }
  /** Sends Cease/2 Administrative Shutdown with the RFC 9003 message, when a NOTIFICATION is due. */
  | { type: 'ManualStop'; shutdownMessage?: string }
  | { type: 'AutomaticStart' }
  | { type: 'ManualStart_with_PassiveTcpEstablishment' }
  | { type: 'AutomaticStart_with_PassiveTcpEstablishment' }
  | { type: 'AutomaticStart_with_DampPeerOscillations' }
  | { type: 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment' }
  /** Stops with the given Cease, for instance 1 when the peer sent too many prefixes. */
  | { type: 'AutomaticStop'; cease: CeaseCause }
  // Timer events, RFC 4271 section 8.1.3.
  | { type: 'ConnectRetryTimer_Expires' }
  | { type: 'HoldTimer_Expires' }
  | { type: 'KeepaliveTimer_Expires' }
  | { type: 'DelayOpenTimer_Expires' }
  | { type: 'IdleHoldTimer_Expires' }
  // TCP connection-based events, RFC 4271 section 8.1.4.
  | { type: 'Tcp_CR_Acked' }
  | { type: 'TcpConnectionConfirmed' }
  | { type: 'TcpConnectionFails' }
  // BGP message-based events, RFC 4271 section 8.1.5. Event 20 (an OPEN while the DelayOpenTimer
  // runs) is BGPOpen too: the FSM knows whether that timer runs.
  | { type: 'BGPOpen'; open: OpenMessage }
  | { type: 'BGPHeaderErr'; error: WireError }
  | { type: 'BGPOpenMsgErr'; error: WireError }
  | { type: 'OpenCollisionDump' }
  | { type: 'NotifMsgVerErr'; notification: NotificationMessage }
  | { type: 'NotifMsg'; notification: NotificationMessage }
  | { type: 'KeepAliveMsg' }
  | { type: 'UpdateMsg'; update: UpdateMessage }
  /** An UPDATE with an RFC 7606 error; weaker errors than session-reset come with the update to use. */
  | { type: 'UpdateMsgErr'; error: WireError; update?: UpdateMessage }
  | { type: 'RouteRefreshMsg'; message: RouteRefreshMessage }
  /** A malformed ROUTE-REFRESH (RFC 7313 section 5). */
  | { type: 'RouteRefreshMsgErr'; error: WireError }
  // Not RFC 4271 events: they matter only while Established.
  /** The session stayed up long enough: its peer oscillation damping is forgotten. */
  | { type: 'DampingResetTimer_Expires' }
  /** The driver wrote an UPDATE: the KeepaliveTimer restarts (RFC 4271 section 8.2.2, Established). */
  | { type: 'UpdateSent' }
  /** The RIB asks the peer to resend a family, or marks a refresh's start or end (RFC 7313). */
  | { type: 'SendRouteRefresh'; family: Family; subtype: number };

/**
 * An FSM input. `random`, uniform in [0, 1), picks the jitter of the timers this event arms
 * (RFC 4271 section 10); without it timers run at their full value.
 */
export type FsmEvent = EventBody & { random?: number };

/** NOTIFICATION 2/1: the peer does not speak our version (RFC 4271 section 6.2). */
function isVersionError(notification: NotificationMessage): boolean {
  return notification.code === 2 && notification.subcode === 1;
}

/**
 * The event one decoded message raises (RFC 4271 section 8.1.5). A session-reset error is a header
 * error (code 1), an OPEN error (code 2), a ROUTE-REFRESH error (code 7) or else an UPDATE error.
 */
export function messageEvent(result: DecodeResult): FsmEvent {
  const { message, error } = result;
  if (error !== undefined && (error.action === 'session-reset' || message === undefined)) {
    if (error.code === 1) return { type: 'BGPHeaderErr', error };
    if (error.code === 2) return { type: 'BGPOpenMsgErr', error };
    if (error.code === 7) return { type: 'RouteRefreshMsgErr', error };
    return { type: 'UpdateMsgErr', error };
  }
  if (message === undefined) throw new TypeError('a decode result holds a message or an error');
  switch (message.type) {
    case 'open':
      return { type: 'BGPOpen', open: message };
    case 'update':
      return error === undefined
        ? { type: 'UpdateMsg', update: message }
        : { type: 'UpdateMsgErr', error, update: message };
    case 'notification':
      return isVersionError(message)
        ? { type: 'NotifMsgVerErr', notification: message }
        : { type: 'NotifMsg', notification: message };
    case 'keepalive':
      return { type: 'KeepAliveMsg' };
    case 'route-refresh':
      return { type: 'RouteRefreshMsg', message };
  }
}
