/**
 * The BGP finite state machine of RFC 4271 section 8.2.2 as a pure function: `step(state, event,
 * config)` returns the next state and the actions for the driver, which owns the socket and the
 * timers. One FSM runs per TCP connection (section 8.2.1); a second connection to the same peer
 * gets its own, and `resolveCollision` (collision.ts) decides which one lives.
 *
 * Where section 8.2.2 leaves a choice to the implementation, this machine:
 * - restarts by itself after a failure: it waits in Idle for the IdleHoldTimer, which doubles with
 *   each consecutive failure and falls back to its base once a session stays Established for
 *   `dampingResetTime` (peer oscillation damping, section 8.1.1);
 * - doubles the ConnectRetryTimer with each connection attempt since the last start;
 * - never initiates a connection when configured `passive`;
 * - never answers a NOTIFICATION with one: the peer closes the connection after sending it
 *   (section 4.5), where the OpenSent table would send an FSM Error;
 * - answers a header error in Established with a Message Header Error (section 6.1), where the
 *   table would name an FSM Error.
 */
import type { RouteRefreshMessage } from '../wire/types.ts';
import type { FsmEvent } from './events.ts';
import { cease, fromWireError, fsmError, holdTimerExpired } from './notifications.ts';
import {
  acceptOpen,
  armConnectRetry,
  collisionDump,
  fail,
  holdRestart,
  type Input,
  keepaliveRestart,
  manualStop,
  messageError,
  receivedNotification,
  sendMessage,
  sendOpen,
  start,
  startTimer,
  stopTimer,
  toIdle,
  unchanged,
  withoutOpen,
} from './transitions.ts';
import type { Action, FsmState, SessionConfig, StepResult } from './types.ts';

export { initialState } from './transitions.ts';

const START_EVENTS = new Set<FsmEvent['type']>([
  'ManualStart',
  'AutomaticStart',
  'ManualStart_with_PassiveTcpEstablishment',
  'AutomaticStart_with_PassiveTcpEstablishment',
  'AutomaticStart_with_DampPeerOscillations',
  'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment',
]);

/** Inputs that are not RFC 4271 events: outside Established they mean nothing and change nothing. */
const LOCAL_EVENTS = new Set<FsmEvent['type']>(['DampingResetTimer_Expires', 'UpdateSent', 'SendRouteRefresh']);

/** Events that are a received message (RFC 6608 names the state such a message arrives in). */
const MESSAGE_EVENTS = new Set<FsmEvent['type']>([
  'BGPOpen',
  'BGPHeaderErr',
  'BGPOpenMsgErr',
  'NotifMsgVerErr',
  'NotifMsg',
  'KeepAliveMsg',
  'UpdateMsg',
  'UpdateMsgErr',
  'RouteRefreshMsg',
  'RouteRefreshMsgErr',
]);

export function step(state: FsmState, event: FsmEvent, config: SessionConfig): StepResult {
  const input: Input = { state, event, config };
  if (LOCAL_EVENTS.has(event.type) && state.name !== 'Established') return unchanged(state);
  if (START_EVENTS.has(event.type) && state.name !== 'Idle') return unchanged(state);
  switch (state.name) {
    case 'Idle':
      return idle(input);
    case 'Connect':
    case 'Active':
      return connecting(input);
    case 'OpenSent':
      return openSent(input);
    case 'OpenConfirm':
      return openConfirm(input);
    case 'Established':
      return established(input);
  }
}

function idle(input: Input): StepResult {
  const { state, event, config } = input;
  const passive = (variant: boolean) => variant || config.passive;
  switch (event.type) {
    case 'ManualStart':
    case 'ManualStart_with_PassiveTcpEstablishment':
      return start(input, { passive: passive(event.type !== 'ManualStart'), resetCounter: true, resetDamping: true });
    case 'AutomaticStart':
    case 'AutomaticStart_with_PassiveTcpEstablishment':
      if (!config.automaticRestart) return unchanged(state);
      return start(input, {
        passive: passive(event.type !== 'AutomaticStart'),
        resetCounter: true,
        resetDamping: false,
      });
    case 'AutomaticStart_with_DampPeerOscillations':
    case 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment':
      // Damped: a restart already waiting on the IdleHoldTimer keeps waiting.
      if (!config.automaticRestart || state.idleHoldRunning) return unchanged(state);
      return start(input, {
        passive: passive(event.type !== 'AutomaticStart_with_DampPeerOscillations'),
        resetCounter: false,
        resetDamping: false,
      });
    case 'IdleHoldTimer_Expires': {
      const waited = { ...state, idleHoldRunning: false };
      if (!state.enabled || !config.automaticRestart) return unchanged(waited);
      return start(
        { ...input, state: waited },
        { passive: passive(state.passive), resetCounter: false, resetDamping: false },
      );
    }
    case 'ManualStop':
      // Ignored by the state table; here it also cancels an automatic restart still pending.
      return {
        state: { ...state, enabled: false, idleHoldRunning: false },
        actions: state.idleHoldRunning ? [stopTimer('IdleHoldTimer')] : [],
      };
    default:
      return unchanged(state);
  }
}

/** Connect and Active: waiting for a TCP connection (and, with DelayOpen, for the peer's OPEN). */
function connecting(input: Input): StepResult {
  const { state, event, config } = input;
  switch (event.type) {
    case 'ManualStop':
      // Only Active sends a NOTIFICATION, on an open connection, when that is allowed.
      return manualStop(
        { ...input, event },
        state.name === 'Active' && state.delayOpenRunning && config.sendNotificationWithoutOpen,
      );

    case 'ConnectRetryTimer_Expires': {
      const armed = armConnectRetry(input);
      if (state.name === 'Active') {
        if (config.passive) return { state: armed.state, actions: [armed.action] };
        return { state: { ...armed.state, name: 'Connect' }, actions: [armed.action, { type: 'connect' }] };
      }
      const actions: Action[] = [{ type: 'drop-connection' }, armed.action];
      if (state.delayOpenRunning) actions.push(stopTimer('DelayOpenTimer'));
      actions.push({ type: 'connect' });
      return { state: { ...armed.state, delayOpenRunning: false }, actions };
    }

    case 'DelayOpenTimer_Expires':
      if (!state.delayOpenRunning) return fail(input, 'fsm-error');
      return sendOpen(input, []);

    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed': {
      // With the DelayOpenTimer running, this connection is already up: another one has its own FSM.
      if (state.delayOpenRunning) return unchanged(state);
      const actions: Action[] = [stopTimer('ConnectRetryTimer')];
      if (config.delayOpenTime > 0) {
        actions.push(startTimer('DelayOpenTimer', config.delayOpenTime));
        return { state: { ...state, delayOpenRunning: true }, actions };
      }
      return sendOpen(input, actions);
    }

    case 'TcpConnectionFails':
      if (state.name === 'Connect' && state.delayOpenRunning) {
        // The connection is gone but the peer may still connect to us: listen, in Active.
        const armed = armConnectRetry(input);
        return {
          state: { ...armed.state, name: 'Active', delayOpenRunning: false },
          actions: [stopTimer('DelayOpenTimer'), armed.action],
        };
      }
      // Active restarts the ConnectRetryTimer on its way to Idle in the state table; in Idle that
      // timer has no effect, so the restart is left to the IdleHoldTimer.
      return toIdle(input, {
        reason: 'connection-failed',
        counter: state.name === 'Active' ? 'increment' : 'keep',
        restart: true,
      });

    case 'BGPOpen':
      // Event 20: the peer spoke first, so our OPEN follows right away. Without the
      // DelayOpenTimer, an OPEN here is Event 19 and starts over.
      if (!state.delayOpenRunning) return fail(input, 'fsm-error');
      return acceptOpen(input, event.open, [stopTimer('DelayOpenTimer')]);

    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
      return messageError({ ...input, event }, config.sendNotificationWithoutOpen);

    case 'NotifMsgVerErr':
      return receivedNotification(input, event.notification, state.delayOpenRunning ? 'keep' : 'increment');

    case 'NotifMsg':
      return receivedNotification(input, event.notification, 'increment');

    case 'AutomaticStop':
      return fail(input, 'automatic-stop');

    case 'OpenCollisionDump':
      return collisionDump(input, false);

    default:
      // Events 10, 11, 13 and 26-28: start over.
      return fail(input, 'fsm-error');
  }
}

function openSent(input: Input): StepResult {
  const { state, event } = input;
  switch (event.type) {
    case 'ManualStop':
      return manualStop({ ...input, event }, true);
    case 'AutomaticStop':
      return fail(input, 'automatic-stop', cease(event.cease));
    case 'HoldTimer_Expires':
      return fail(input, 'hold-timer-expired', holdTimerExpired());
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      // A second connection: it runs its own FSM until an OPEN resolves the collision.
      return unchanged(state);
    case 'TcpConnectionFails': {
      // The connection closes, but the peer may connect again: listen, in Active.
      const armed = armConnectRetry({ ...input, state: withoutOpen(state) });
      return {
        state: { ...armed.state, name: 'Active' },
        actions: [stopTimer('HoldTimer'), { type: 'drop-connection' }, armed.action],
      };
    }
    case 'BGPOpen':
      return acceptOpen(input, event.open, []);
    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
      return messageError({ ...input, event }, true);
    case 'OpenCollisionDump':
      return collisionDump(input, true);
    case 'NotifMsgVerErr':
      return receivedNotification(input, event.notification, 'keep');
    case 'NotifMsg':
      return receivedNotification(input, event.notification, 'increment');
    default:
      return fail(input, 'fsm-error', fsmError('OpenSent', MESSAGE_EVENTS.has(event.type)));
  }
}

function openConfirm(input: Input): StepResult {
  const { state, event, config } = input;
  switch (event.type) {
    case 'ManualStop':
      return manualStop({ ...input, event }, true);
    case 'AutomaticStop':
      return fail(input, 'automatic-stop', cease(event.cease));
    case 'HoldTimer_Expires':
      return fail(input, 'hold-timer-expired', holdTimerExpired());
    case 'KeepaliveTimer_Expires':
      return { state, actions: [sendMessage({ type: 'keepalive' }), ...keepaliveRestart(input)] };
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      return unchanged(state);
    case 'TcpConnectionFails':
      return fail(input, 'connection-failed');
    case 'NotifMsg':
      return receivedNotification(input, event.notification, 'increment');
    case 'NotifMsgVerErr':
      return receivedNotification(input, event.notification, 'keep');
    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
      return messageError({ ...input, event }, true);
    case 'OpenCollisionDump':
      return collisionDump(input, true);
    case 'KeepAliveMsg': {
      const session = state.session;
      if (session === undefined) return fail(input, 'fsm-error', fsmError('OpenConfirm', true));
      return {
        state: { ...state, name: 'Established', connectAttempts: 0 },
        actions: [
          ...holdRestart(state),
          startTimer('DampingResetTimer', config.dampingResetTime),
          { type: 'established', session },
        ],
      };
    }
    default:
      // Includes a second OPEN on this connection: collisions between connections are resolved
      // before the OPEN reaches an FSM (collision.ts), so here it is an unexpected message.
      return fail(input, 'fsm-error', fsmError('OpenConfirm', MESSAGE_EVENTS.has(event.type)));
  }
}

function established(input: Input): StepResult {
  const { state, event } = input;
  switch (event.type) {
    case 'ManualStop':
      return manualStop({ ...input, event }, true);
    case 'AutomaticStop':
      return fail(input, 'automatic-stop', cease(event.cease));
    case 'HoldTimer_Expires':
      return fail(input, 'hold-timer-expired', holdTimerExpired());
    case 'KeepaliveTimer_Expires':
      return { state, actions: [sendMessage({ type: 'keepalive' }), ...keepaliveRestart(input)] };
    case 'UpdateSent':
      // Each UPDATE sent restarts the KeepaliveTimer too.
      return { state, actions: keepaliveRestart(input) };
    case 'DampingResetTimer_Expires':
      return { state: { ...state, dampingLevel: 0 }, actions: [] };
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      return unchanged(state);
    case 'TcpConnectionFails':
      return fail(input, 'connection-failed');
    case 'NotifMsg':
    case 'NotifMsgVerErr':
      return receivedNotification(input, event.notification, 'increment');
    case 'OpenCollisionDump':
      return collisionDump(input, true);
    case 'KeepAliveMsg':
      return { state, actions: holdRestart(state) };
    case 'UpdateMsg':
      return { state, actions: [{ type: 'deliver-update', update: event.update }, ...holdRestart(state)] };
    case 'UpdateMsgErr':
      return updateError({ ...input, event });
    case 'RouteRefreshMsg': {
      const delivered: Action[] = acceptsRouteRefresh(state, event.message)
        ? [{ type: 'deliver-route-refresh', message: event.message }]
        : [];
      return { state, actions: [...delivered, ...holdRestart(state)] };
    }
    case 'RouteRefreshMsgErr':
    case 'BGPHeaderErr':
      return fail(input, 'message-error', fromWireError(event.error));
    case 'SendRouteRefresh':
      if (!acceptsRouteRefresh(state, event)) return unchanged(state);
      return { state, actions: [sendMessage({ type: 'route-refresh', family: event.family, subtype: event.subtype })] };
    default:
      // Events 9, 12, 13, 19, 20 and 22: an OPEN, valid or not, or a stray timer.
      return fail(input, 'fsm-error', fsmError('Established', MESSAGE_EVENTS.has(event.type)));
  }
}

/** RFC 2918 section 4 and RFC 7313 section 5: a refresh for what was not negotiated is ignored. */
function acceptsRouteRefresh(state: FsmState, message: Pick<RouteRefreshMessage, 'family' | 'subtype'>): boolean {
  const session = state.session;
  if (session === undefined) return false;
  if (!session.families.includes(message.family) || state.disabledFamilies.includes(message.family)) return false;
  if (message.subtype === 0) return session.routeRefresh;
  if (message.subtype === 1 || message.subtype === 2) return session.enhancedRouteRefresh;
  return false;
}

/**
 * Event 28 with the RFC 7606 action of its error: a session reset sends the NOTIFICATION the error
 * carries; the weaker actions keep the session and hand the UPDATE to the RIB with its error.
 */
function updateError(input: Input<FsmEvent & { type: 'UpdateMsgErr' }>): StepResult {
  const { state, event } = input;
  const { error, update } = event;
  if (error.action === 'session-reset') return fail(input, 'message-error', fromWireError(error));
  const actions: Action[] = [];
  if (update !== undefined) actions.push({ type: 'deliver-update', update, error });
  let next = state;
  const family = error.family;
  if (error.action === 'afi-safi-disable' && family !== undefined && !state.disabledFamilies.includes(family)) {
    actions.push({ type: 'disable-family', family });
    next = { ...state, disabledFamilies: [...state.disabledFamilies, family] };
  }
  return { state: next, actions: [...actions, ...holdRestart(state)] };
}
