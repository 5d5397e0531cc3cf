/**
 * The shapes of a BGP session: its configuration, the state the finite state machine carries from
 * one step to the next, and the actions a step asks its driver to perform (RFC 4271 section 8).
 *
 * The FSM is a pure function over these values: no clock, no socket, no randomness. Timers are
 * named and their durations given in seconds; the driver owns the real timers and connections.
 */
import type {
  Family,
  KeepaliveMessage,
  NotificationMessage,
  OpenMessage,
  RouteRefreshMessage,
  SessionContext,
  UpdateMessage,
  WireError,
} from '../wire/types.ts';

/** RFC 4271 section 8.2.2. */
export type SessionState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/**
 * The timers of RFC 4271 section 10 the FSM drives, plus `DampingResetTimer`: how long a session
 * must stay Established before its peer oscillation damping is forgotten (RFC 4271 section 8.1.1
 * leaves the damping method to the implementation).
 */
export type TimerName =
  'ConnectRetryTimer' | 'HoldTimer' | 'KeepaliveTimer' | 'DelayOpenTimer' | 'IdleHoldTimer' | 'DampingResetTimer';

/** An exponential backoff: `base * 2^n` seconds after n consecutive uses, never above `cap`. */
export interface Backoff {
  base: number;
  cap: number;
}

/** ADD-PATH as configured for one family (RFC 7911 section 4). */
export interface AddPathConfig {
  family: Family;
  mode: 'receive' | 'send' | 'both';
}

/** Graceful restart as we announce it (RFC 4724 section 3). */
export interface GracefulRestartConfig {
  /** Seconds the peer should keep our routes while we restart (12 bits on the wire). */
  restartTime: number;
  /** The R bit: we are restarting and the peer should not wait for our End-of-RIB before sending its own. */
  restarting: boolean;
  /** The N bit (RFC 8538): graceful restart also applies when a NOTIFICATION ends the session. */
  notification: boolean;
  /** Families whose forwarding state survives our restart. */
  families: { family: Family; forwarding: boolean }[];
}

/** Long-lived graceful restart as we announce it (RFC 9494 section 3). */
export interface LongLivedGracefulRestartConfig {
  families: { family: Family; forwarding: boolean; staleTime: number }[];
}

/** A capability we refuse to peer without (RFC 5492 section 5, NOTIFICATION 2/7). */
export type RequiredCapability =
  | 'route-refresh'
  | 'enhanced-route-refresh'
  | 'four-octet-as'
  | 'extended-message'
  | 'graceful-restart'
  | 'long-lived-graceful-restart'
  | 'add-path'
  | 'extended-next-hop'
  | { family: Family };

/** One peering, with every option resolved; `sessionConfig()` fills in the defaults. */
export interface SessionConfig {
  localAs: number;
  /** Our BGP Identifier, dotted quad. */
  routerId: string;
  /** The AS the peer must announce (RFC 4271 section 6.2, Bad Peer AS). */
  peerAs: number;
  /** Hold time we propose (RFC 4271 section 4.2): 0, or 3 and above. */
  holdTime: number;
  /** Families we announce with the multiprotocol capability (RFC 4760 section 8). */
  families: Family[];
  routeRefresh: boolean;
  enhancedRouteRefresh: boolean;
  extendedMessage: boolean;
  addPath: AddPathConfig[];
  /** RFC 8950: families whose routes we accept with next hops of another AFI. */
  extendedNextHop: { family: Family; nextHopAfi: number }[];
  gracefulRestart?: GracefulRestartConfig;
  longLivedGracefulRestart?: LongLivedGracefulRestartConfig;
  requiredCapabilities: RequiredCapability[];
  /** PassiveTcpEstablishment: never initiate the TCP connection, wait for the peer's. */
  passive: boolean;
  /** DelayOpen: seconds to wait for the peer's OPEN before sending ours; 0 disables it. */
  delayOpenTime: number;
  /** The "large value" of the HoldTimer until the peer's OPEN arrives (RFC 4271 section 10: 4 minutes). */
  openHoldTime: number;
  /** ConnectRetryTimer initial value, doubling with each consecutive attempt. */
  connectRetry: Backoff;
  /** IdleHoldTimer: wait before an automatic restart, doubling with each consecutive failure. */
  idleHold: Backoff;
  /** Seconds Established after which the IdleHoldTimer falls back to its base. */
  dampingResetTime: number;
  /** AllowAutomaticStart: after a failure, start again when the IdleHoldTimer expires. */
  automaticRestart: boolean;
  /** DampPeerOscillations: let the IdleHoldTimer grow with consecutive failures, not stay at its base. */
  dampPeerOscillations: boolean;
  /** SendNOTIFICATIONwithoutOPEN: answer errors with a NOTIFICATION before our OPEN was sent. */
  sendNotificationWithoutOpen: boolean;
  /** CollisionDetectEstablishedState: collisions are resolved against an Established session too. */
  collisionDetectEstablishedState: boolean;
}

/** What both OPENs agreed on (`negotiate()`), fixed for the life of the session. */
export interface NegotiatedSession {
  /** The peer's AS, from its 4-octet AS capability when present (RFC 6793 section 4.1). */
  peerAs: number;
  peerId: string;
  /** Internal peer: same AS as ours (RFC 4271 section 8.2.2, "internal" connection). */
  internal: boolean;
  /** The smaller of both hold times; 0 means no keepalives and no hold timer (RFC 4271 section 4.2). */
  holdTime: number;
  keepaliveTime: number;
  /** Families both sides announced, in our order (RFC 4760 section 8). */
  families: Family[];
  fourOctetAs: boolean;
  extendedMessage: boolean;
  routeRefresh: boolean;
  enhancedRouteRefresh: boolean;
  /** Families we may send several paths for, and families whose paths arrive with identifiers (RFC 7911 section 5). */
  addPath: { send: Family[]; receive: Family[] };
  /** RFC 8950: next-hop AFIs the peer accepts from us (send) and we accept from the peer (receive). */
  extendedNextHop: {
    send: { family: Family; nextHopAfi: number }[];
    receive: { family: Family; nextHopAfi: number }[];
  };
  /** Both advertised the graceful restart N bit (RFC 8538 section 2). */
  gracefulNotification: boolean;
  /** How to read what the peer sends. */
  decode: SessionContext;
  /** How to write what we send. */
  encode: SessionContext;
  /** The peer's graceful restart parameters (RFC 4724), for the families negotiated. */
  peerGracefulRestart?: {
    restarting: boolean;
    notification: boolean;
    restartTime: number;
    families: { family: Family; forwarding: boolean }[];
  };
  /** The peer's long-lived graceful restart parameters (RFC 9494), for the families negotiated. */
  peerLongLivedGracefulRestart?: { families: { family: Family; forwarding: boolean; staleTime: number }[] };
}

/** The FSM's memory between steps. Build the first one with `initialState()`. */
export interface FsmState {
  name: SessionState;
  /** ConnectRetryCounter (RFC 4271 section 8): failures since the last start. */
  connectRetryCounter: number;
  /** Connection attempts since the session was last Established: the exponent of the ConnectRetryTimer backoff. */
  connectAttempts: number;
  /** Consecutive automatic restarts: the exponent of the IdleHoldTimer backoff. */
  dampingLevel: number;
  /** Started with PassiveTcpEstablishment (Events 4, 5, 7) or configured passive. */
  passive: boolean;
  /** Started and not stopped by the operator: failures schedule an automatic restart. */
  enabled: boolean;
  /** The DelayOpenTimer is running: an OPEN now is Event 20, and our OPEN is still unsent. */
  delayOpenRunning: boolean;
  /** The IdleHoldTimer is running: an automatic restart is pending. */
  idleHoldRunning: boolean;
  /** The OPEN we sent on this connection. */
  localOpen?: OpenMessage;
  /** What the OPENs agreed on, from OpenConfirm on. */
  session?: NegotiatedSession;
  /** Families switched off by an RFC 7606 AFI/SAFI disable during this session. */
  disabledFamilies: Family[];
}

/** Messages the FSM itself sends; UPDATEs are written by the RIB's update groups. */
export type SessionMessage = OpenMessage | KeepaliveMessage | NotificationMessage | RouteRefreshMessage;

/** Why a connection went back to Idle. */
export type DownReason =
  | 'manual-stop'
  | 'automatic-stop'
  | 'hold-timer-expired'
  | 'connection-failed'
  | 'notification-received'
  | 'message-error'
  | 'open-rejected'
  | 'fsm-error'
  | 'collision';

/**
 * What the driver does, in order. `connect` starts a TCP connection attempt (the FSM keeps listening
 * in every state but Idle); the connection whose success is reported by Tcp_CR_Acked or
 * TcpConnectionConfirmed is the session's, and `drop-connection` closes it along with any attempt
 * still pending. `start-timer` (re)arms a timer, replacing one already running.
 */
export type Action =
  | { type: 'send'; message: SessionMessage }
  | { type: 'start-timer'; timer: TimerName; seconds: number }
  | { type: 'stop-timer'; timer: TimerName }
  | { type: 'connect' }
  | { type: 'drop-connection' }
  | { type: 'established'; session: NegotiatedSession }
  | {
      type: 'session-down';
      reason: DownReason;
      /** The session had been Established: the routes learned over it are to be deleted (or kept stale by graceful restart). */
      wasEstablished: boolean;
      sent?: NotificationMessage;
      received?: NotificationMessage;
    }
  /** An UPDATE for the RIB; `error` is a weaker-than-reset RFC 7606 error, whose action the RIB applies. */
  | { type: 'deliver-update'; update: UpdateMessage; error?: WireError }
  /** RFC 7606 AFI/SAFI disable (RFC 4760 section 7): ignore the family for the rest of the session. */
  | { type: 'disable-family'; family: Family }
  /** A ROUTE-REFRESH (RFC 2918) or BoRR/EoRR marker (RFC 7313) for the RIB. */
  | { type: 'deliver-route-refresh'; message: RouteRefreshMessage };

export interface StepResult {
  state: FsmState;
  actions: Action[];
}
