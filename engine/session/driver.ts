/**
 * One peer's session driver: it runs the pure FSM (fsm.ts) over real sockets and timers. It feeds
 * the FSM one event at a time (messages read from the connection, timers firing, connections made
 * and lost, the operator's start and stop), performs the actions each step returns, and reports
 * what the rest of the speaker needs: state changes, the negotiated session, its end, and the
 * UPDATEs and ROUTE-REFRESHes received.
 *
 * A peer normally has one connection. When the peer connects to us while our connection to it is
 * past Connect/Active, or the reverse, the second connection runs its own FSM until an OPEN settles
 * the collision (RFC 4271 section 6.8, collision.ts); then one of them is closed with Cease/7 and
 * the other is the peer's connection from then on (README.md, "A second connection").
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { selectCodec } from '../wire/index.ts';
import type {
  DecodeResult,
  Family,
  NotificationMessage,
  OpenMessage,
  RouteRefreshMessage,
  SessionContext,
  WireCodec,
} from '../wire/types.ts';
import { type Clock, realClock, type TimerHandle } from './clock.ts';
import { resolveCollision } from './collision.ts';
import {
  configChange,
  type ConfigChange,
  type PeerConfig,
  peerConfig,
  type PeerConfigInput,
  socketSettings,
} from './driver-config.ts';
import { Connection, type Initiator } from './driver-connection.ts';
import { isBinding, loadSocketOptions, type SocketOptionsLoad } from './driver-socket-options.ts';
import { connectToPeer, prepareAccepted } from './driver-transport.ts';
import { type CeaseCause, type FsmEvent, messageEvent } from './events.ts';
import { step } from './fsm.ts';
import { announcedAs } from './negotiate.ts';
import { CEASE } from './notifications.ts';
import type { Action, DownReason, NegotiatedSession, SessionState, TimerName } from './types.ts';

/** The end of a session, or of an attempt to bring one up (the FSM's `session-down`). */
export interface SessionDown {
  reason: DownReason;
  /** The session had been Established: the routes learned over it are to go (or turn stale, with graceful restart). */
  wasEstablished: boolean;
  sent?: NotificationMessage;
  received?: NotificationMessage;
}

export interface DriverEvents {
  /** The peer's FSM moved to another state. */
  state: [change: { from: SessionState; to: SessionState }];
  established: [session: NegotiatedSession];
  down: [down: SessionDown];
  /**
   * An UPDATE for the RIB, as the codec decoded it with `context`: `result.message` is the UPDATE,
   * `result.error` a weaker-than-reset RFC 7606 error whose action the RIB applies.
   */
  update: [result: DecodeResult, context: SessionContext];
  /** A ROUTE-REFRESH (RFC 2918) or BoRR/EoRR marker (RFC 7313) for a negotiated family. */
  'route-refresh': [message: RouteRefreshMessage];
  /** RFC 7606 AFI/SAFI disable: drop the family's routes from this peer until the session ends. */
  'family-disabled': [family: Family];
  /** The write queue emptied: UPDATEs go straight to the socket again. */
  drain: [];
  /** The configuration changed (the listener updates the peer's TCP-MD5 key). */
  config: [config: PeerConfig];
  /** A connection attempt or a connection failed; for the log, the FSM has its own events. */
  'connection-error': [error: Error];
}

export interface DriverOptions {
  clock?: Clock;
  codec?: WireCodec;
  /** Uniform in [0, 1): the jitter of the timers (RFC 4271 section 10). */
  random?: () => number;
  /** The addon's socket options, or why they are missing. */
  socketOptions?: SocketOptionsLoad;
}

/** How long an addon connection attempt waits when no ConnectRetryTimer bounds it. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;
/** The shortest wait of an addon connection attempt. */
const MIN_CONNECT_TIMEOUT_MS = 1000;
/** How long a closed connection may take to deliver its last NOTIFICATION before it is cut. */
const LINGER_SECONDS = 5;

let defaultCodec: WireCodec | undefined;

function timerEvent(timer: TimerName): FsmEvent {
  return { type: `${timer}_Expires` } as FsmEvent;
}

export class PeerDriver extends EventEmitter<DriverEvents> {
  #config: PeerConfig;
  readonly #clock: Clock;
  readonly #codec: WireCodec;
  readonly #random: () => number;
  readonly #socketOptions: SocketOptionsLoad;
  /** The peer's FSM and connection. */
  #primary: Connection;
  /** A second connection while a collision is pending. */
  #secondary: Connection | undefined;
  /** Connections given up that are still delivering their last bytes. */
  readonly #closing = new Map<Socket, TimerHandle>();
  readonly #events: [Connection, FsmEvent][] = [];
  #stepping = false;
  /** Reports waiting for the step that caused them to finish its actions. */
  readonly #notices: (() => void)[] = [];
  #notifying = false;
  #reportedState: SessionState = 'Idle';
  #disposed = false;
  readonly #closeWaiters: (() => void)[] = [];

  /**
   * Throws RangeError on a configuration no session could run with, and Error when it needs
   * socket options (TCP-MD5, GTSM, a TTL) and the native addon is not there to set them.
   */
  constructor(config: PeerConfig | PeerConfigInput, options: DriverOptions = {}) {
    super();
    this.#clock = options.clock ?? realClock;
    this.#codec = options.codec ?? (defaultCodec ??= selectCodec().codec);
    this.#random = options.random ?? Math.random;
    this.#socketOptions = options.socketOptions ?? loadSocketOptions();
    this.#config = this.#resolve(config);
    this.#primary = new Connection(this.#clock, this.#codec);
  }

  get config(): PeerConfig {
    return this.#config;
  }

  /** The peer's address, canonical: what identifies it to a listener. */
  get remoteAddress(): string {
    return this.#config.transport.remoteAddress;
  }

  get state(): SessionState {
    return this.#primary.fsm.name;
  }

  /** What the session negotiated, while Established. */
  get session(): NegotiatedSession | undefined {
    return this.#primary.fsm.name === 'Established' ? this.#primary.fsm.session : undefined;
  }

  /** The session's socket, for diagnostics (its addresses and options). */
  get socket(): Socket | undefined {
    return this.#primary.socket;
  }

  /** TCP connections open to the peer: two while a collision is pending. */
  get connectionCount(): number {
    return (this.#primary.socket ? 1 : 0) + (this.#secondary?.socket ? 1 : 0);
  }

  /** Whether an UPDATE written now goes straight to the socket rather than waiting in the queue. */
  get writable(): boolean {
    return this.#primary.writable;
  }

  /** Octets of UPDATEs waiting for the socket to drain. */
  get queuedBytes(): number {
    return this.#primary.queuedBytes;
  }

  /** ManualStart: connect, or wait for the peer when configured passive. */
  start(): void {
    this.#dispatch(this.#primary, { type: 'ManualStart' });
  }

  /**
   * ManualStop: Cease/2 Administrative Shutdown with the RFC 9003 message, where a NOTIFICATION is
   * due, and no automatic restart. Resolves once every connection to the peer is closed.
   */
  stop(shutdownMessage?: string): Promise<void> {
    const event: FsmEvent = shutdownMessage === undefined ? { type: 'ManualStop' } : { type: 'ManualStop', shutdownMessage };
    // The second connection first, so that it is not left to take over the peer.
    if (this.#secondary !== undefined) this.#dispatch(this.#secondary, event);
    this.#dispatch(this.#primary, event);
    return this.#whenClosed();
  }

  /**
   * AutomaticStop with a Cease, for instance Cease/1 when the peer sent more prefixes than allowed
   * (RFC 4486 section 4); the session restarts after the IdleHoldTimer.
   */
  automaticStop(cease: CeaseCause): void {
    const event: FsmEvent = { type: 'AutomaticStop', cease };
    if (this.#secondary !== undefined) this.#dispatch(this.#secondary, event);
    this.#dispatch(this.#primary, event);
  }

  /**
   * Writes pre-encoded UPDATE messages as they are (an update group encodes once for all its
   * peers). False, and nothing written, unless Established. Never blocks: when the socket pushes
   * back they wait, uncopied, in the queue (`queuedBytes`), and `drain` says when it is empty.
   */
  sendUpdateBytes(bytes: Uint8Array): boolean {
    const connection = this.#primary;
    if (connection.fsm.name !== 'Established' || connection.socket === undefined) return false;
    connection.writeCoalesced(bytes);
    this.#dispatch(connection, { type: 'UpdateSent' });
    return true;
  }

  /**
   * Asks the peer to resend a family (subtype 0, RFC 2918), or marks the start (1) or end (2) of
   * our own re-advertisement (RFC 7313). Sent only when Established and negotiated.
   */
  sendRouteRefresh(family: Family, subtype = 0): void {
    this.#dispatch(this.#primary, { type: 'SendRouteRefresh', family, subtype });
  }

  /**
   * Takes a new configuration of the same peer. The session starts over (Cease/6) only when the
   * change needs a new OPEN or a new connection (driver-config.ts, `configChange`); timers and
   * other settings apply from their next use.
   */
  updateConfig(config: PeerConfig | PeerConfigInput): ConfigChange {
    const next = this.#resolve(config);
    const change = configChange(this.#config, next);
    this.#config = next;
    this.emit('config', next);
    if (change === 'reset' && this.#primary.fsm.name !== 'Idle') {
      this.automaticStop({ subcode: CEASE.otherConfigurationChange });
      this.#dispatch(this.#primary, { type: 'ManualStart' });
    }
    return change;
  }

  /**
   * A connection the peer opened to our listener. Refused (closed) in Idle, where the FSM takes
   * none (RFC 4271 section 8.2.2), and when two connections are open already. False when refused.
   */
  accept(socket: Socket): boolean {
    if (this.#disposed || this.#primary.fsm.name === 'Idle') {
      socket.destroy();
      return false;
    }
    try {
      prepareAccepted(socket, this.#config, this.#socketOptions);
    } catch (error) {
      socket.destroy();
      this.#notice(() => this.emit('connection-error', error as Error));
      this.#flushNotices();
      return false;
    }
    if (this.#primary.socket === undefined) {
      this.#attach(this.#primary, socket, 'remote');
      this.#dispatch(this.#primary, { type: 'TcpConnectionConfirmed' });
      return true;
    }
    return this.#second(socket, 'remote');
  }

  /** Ends everything at once, without a NOTIFICATION: timers, attempts and connections. */
  dispose(): void {
    this.#disposed = true;
    this.#events.length = 0;
    this.#secondary?.discard();
    this.#secondary = undefined;
    this.#primary.discard();
    for (const socket of [...this.#closing.keys()]) socket.destroy();
    this.#checkClosed();
  }

  #resolve(config: PeerConfig | PeerConfigInput): PeerConfig {
    const resolved = 'session' in config && 'transport' in config ? config : peerConfig(config as PeerConfigInput);
    const required = socketSettings(resolved).required;
    if (required.length > 0 && !isBinding(this.#socketOptions)) {
      throw new Error(
        `peer ${resolved.transport.remoteAddress}: ${required.join(', ')} needs the native addon, ` +
          `which is not available (${this.#socketOptions.error})`,
      );
    }
    return resolved;
  }

  /** Feeds one event to a connection's FSM; events raised meanwhile wait their turn. */
  #dispatch(connection: Connection, event: FsmEvent): void {
    if (this.#disposed) return;
    this.#events.push([connection, event]);
    if (this.#stepping) return;
    this.#stepping = true;
    try {
      for (let next = this.#events.shift(); next !== undefined; next = this.#events.shift()) {
        const [target, input] = next;
        if (target.discarded) continue;
        this.#step(target, input);
        this.#settle();
      }
    } finally {
      this.#stepping = false;
    }
    this.#flushNotices();
  }

  #step(connection: Connection, event: FsmEvent): void {
    if (event.type === 'BGPOpen' && !this.#openSurvives(connection, event.open)) return;
    const before = connection.fsm;
    const { state, actions } = step(before, { ...event, random: this.#random() }, this.#config.session);
    connection.fsm = state;
    // A NOTIFICATION on the way down is written with the context of the session it ends.
    const context = (state.session ?? before.session)?.encode;
    for (const action of actions) this.#perform(connection, action, context);
  }

  /**
   * RFC 4271 section 6.8: an OPEN on one of two connections to the peer may settle a collision.
   * The loser gets OpenCollisionDump (Cease/7); false when the OPEN arrived on the loser.
   */
  #openSurvives(arriving: Connection, open: OpenMessage): boolean {
    const existing = arriving === this.#primary ? this.#secondary : this.#primary;
    if (existing?.socket === undefined || arriving.initiator === undefined || existing.initiator === undefined) return true;
    const { session } = this.#config;
    const decision = resolveCollision({
      arriving: { state: arriving.fsm.name, initiator: arriving.initiator },
      existing: { state: existing.fsm.name, initiator: existing.initiator },
      localId: session.routerId,
      remoteId: open.bgpId,
      localAs: session.localAs,
      remoteAs: announcedAs(open),
      collisionDetectEstablishedState: session.collisionDetectEstablishedState,
    });
    if (!decision.collision) return true;
    const loser = decision.close === 'arriving' ? arriving : existing;
    const winner = decision.keep === 'arriving' ? arriving : existing;
    if (winner !== this.#primary) {
      // The winner carries the peer from now on; the loser closes as a second connection.
      this.#secondary = this.#primary;
      this.#primary = this.#inherit(winner, this.#secondary);
    }
    this.#step(loser, { type: 'OpenCollisionDump' });
    return decision.keep === 'arriving';
  }

  #perform(connection: Connection, action: Action, context: SessionContext | undefined): void {
    switch (action.type) {
      case 'send': {
        const bytes = this.#codec.encodeMessage(action.message, context);
        if (action.message.type === 'notification') connection.discardQueued();
        connection.write(bytes);
        return;
      }
      case 'start-timer':
        connection.startTimer(action.timer, action.seconds, () =>
          this.#dispatch(connection, timerEvent(action.timer)),
        );
        return;
      case 'stop-timer':
        connection.stopTimer(action.timer);
        return;
      case 'connect':
        this.#connect(connection);
        return;
      case 'drop-connection':
        this.#drop(connection);
        return;
      case 'established':
        if (connection === this.#secondary) {
          // It got there first: it is the peer's connection now, the other one still waits for an OPEN.
          this.#secondary = this.#primary;
          this.#primary = this.#inherit(connection, this.#secondary);
        }
        this.#notice(() => this.emit('established', action.session));
        return;
      case 'session-down': {
        // The end of an Established session is always news. Short of that, a second connection
        // ending is not, nor is the first while the second takes over.
        const takenOver = connection !== this.#primary || this.#secondary?.socket !== undefined;
        if (!action.wasEstablished && takenOver) return;
        const down: SessionDown = { reason: action.reason, wasEstablished: action.wasEstablished };
        if (action.sent !== undefined) down.sent = action.sent;
        if (action.received !== undefined) down.received = action.received;
        this.#notice(() => this.emit('down', down));
        return;
      }
      case 'deliver-update': {
        const result: DecodeResult =
          action.error === undefined ? { message: action.update } : { message: action.update, error: action.error };
        const decode = connection.fsm.session?.decode ?? {};
        this.#notice(() => this.emit('update', result, decode));
        return;
      }
      case 'disable-family':
        this.#notice(() => this.emit('family-disabled', action.family));
        return;
      case 'deliver-route-refresh':
        this.#notice(() => this.emit('route-refresh', action.message));
        return;
    }
  }

  /**
   * The connection that takes over the peer keeps what the peer's FSM carried across connections:
   * whether it runs, passive or not, and the counters of its backoff. A second connection's FSM
   * started passive (README.md) whatever the peer's configuration.
   */
  #inherit(heir: Connection, from: Connection): Connection {
    const { enabled, passive, dampingLevel, connectRetryCounter } = from.fsm;
    heir.fsm = { ...heir.fsm, enabled, passive, dampingLevel, connectRetryCounter };
    return heir;
  }

  /** After each step: a second connection that ended goes; one that outlived the first takes over. */
  #settle(): void {
    const secondary = this.#secondary;
    if (secondary !== undefined) {
      if (secondary.fsm.name === 'Idle') {
        secondary.discard();
        this.#secondary = undefined;
      } else if (this.#primary.socket === undefined) {
        const previous = this.#primary;
        this.#primary = this.#inherit(secondary, previous);
        this.#secondary = undefined;
        previous.discard();
      }
    }
    const state = this.#primary.fsm.name;
    if (state !== this.#reportedState) {
      const change = { from: this.#reportedState, to: state };
      this.#reportedState = state;
      this.#notice(() => this.emit('state', change));
    }
  }

  #connect(connection: Connection): void {
    const retryDue = connection.timerDue('ConnectRetryTimer');
    const timeoutMs =
      retryDue === undefined
        ? DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000
        : Math.max(MIN_CONNECT_TIMEOUT_MS, Math.round(retryDue - this.#clock.now()));
    const attempt = connectToPeer(this.#config, this.#socketOptions, timeoutMs, {
      connected: (socket) => {
        connection.attempts.delete(attempt);
        this.#connected(connection, socket);
      },
      failed: (error) => {
        connection.attempts.delete(attempt);
        if (this.#disposed || connection.discarded) return;
        this.#notice(() => this.emit('connection-error', error));
        if (connection.socket === undefined && connection.fsm.name === 'Connect') {
          this.#dispatch(connection, { type: 'TcpConnectionFails' });
        } else {
          this.#flushNotices();
        }
      },
    });
    connection.attempts.add(attempt);
  }

  /** Our connection attempt succeeded. */
  #connected(connection: Connection, socket: Socket): void {
    if (this.#disposed || connection.discarded || connection.fsm.name === 'Idle') {
      socket.destroy();
      return;
    }
    if (connection.socket === undefined) {
      this.#attach(connection, socket, 'local');
      this.#dispatch(connection, { type: 'Tcp_CR_Acked' });
      return;
    }
    // The peer's connection got there first: ours runs beside it until an OPEN settles which stays.
    this.#second(socket, 'local');
  }

  /** A second connection to the peer, with its own FSM (README.md, "A second connection"). */
  #second(socket: Socket, initiator: Initiator): boolean {
    if (this.#secondary !== undefined) {
      socket.destroy();
      return false;
    }
    const connection = new Connection(this.#clock, this.#codec);
    this.#secondary = connection;
    this.#attach(connection, socket, initiator);
    this.#dispatch(connection, { type: 'ManualStart_with_PassiveTcpEstablishment' });
    this.#dispatch(connection, { type: initiator === 'local' ? 'Tcp_CR_Acked' : 'TcpConnectionConfirmed' });
    return true;
  }

  #attach(connection: Connection, socket: Socket, initiator: Initiator): void {
    connection.attach(socket, initiator, {
      data: (chunk) => this.#received(connection, socket, chunk),
      closed: () => {
        if (connection.socket !== socket || connection.discarded) return;
        connection.detach();
        this.#dispatch(connection, { type: 'TcpConnectionFails' });
      },
      error: (error) => {
        this.#notice(() => this.emit('connection-error', error));
        if (!this.#stepping) this.#flushNotices();
      },
      drained: () => {
        if (connection !== this.#primary) return;
        this.#notice(() => this.emit('drain'));
        if (!this.#stepping) this.#flushNotices();
      },
    });
  }

  /**
   * Bytes from a connection, through the codec, one event per message. Until the peer's OPEN is
   * accepted messages are read one at a time, since the OPEN decides how the rest reads.
   */
  #received(connection: Connection, socket: Socket, chunk: Buffer): void {
    const reader = connection.reader;
    if (reader === undefined || connection.socket !== socket) return;
    reader.push(chunk);
    for (;;) {
      const session = connection.fsm.session;
      const results = reader.read(session?.decode, session === undefined);
      if (results.length === 0) return;
      for (const result of results) {
        this.#dispatch(connection, messageEvent(result));
        if (connection.discarded || connection.socket !== socket) return;
      }
      if (session !== undefined) return;
    }
  }

  /** drop-connection: attempts abandoned, the socket closed once its last bytes are out. */
  #drop(connection: Connection): void {
    connection.cancelAttempts();
    const socket = connection.detach();
    if (socket === undefined || socket.destroyed) return;
    const linger = this.#clock.setTimer('Linger', LINGER_SECONDS, () => socket.destroy());
    this.#closing.set(socket, linger);
    socket.once('close', () => {
      this.#clock.clear(linger);
      this.#closing.delete(socket);
      this.#checkClosed();
    });
    socket.resume();
    socket.end();
  }

  #whenClosed(): Promise<void> {
    return new Promise((resolve) => {
      this.#closeWaiters.push(resolve);
      this.#checkClosed();
    });
  }

  #checkClosed(): void {
    if (this.connectionCount > 0 || this.#closing.size > 0) return;
    for (const resolve of this.#closeWaiters.splice(0)) resolve();
  }

  #notice(report: () => void): void {
    this.#notices.push(report);
  }

  /** Reports in order, once the steps that caused them are done; a listener may call the driver. */
  #flushNotices(): void {
    if (this.#notifying) return;
    this.#notifying = true;
    try {
      for (let report = this.#notices.shift(); report !== undefined; report = this.#notices.shift()) report();
    } finally {
      this.#notifying = false;
    }
  }
}
