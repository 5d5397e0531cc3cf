/**
 * The moves the states of the FSM (fsm.ts) share: starting, going back to Idle, sending and
 * accepting OPENs, keepalives and hold timer restarts (RFC 4271 section 8.2.2).
 */
import type { NotificationMessage, OpenMessage } from '../wire/types.ts';
import { backoffSeconds, withJitter } from './backoff.ts';
import type { FsmEvent } from './events.ts';
import { negotiate } from './negotiate.ts';
import { administrativeShutdown, collisionResolution, fromWireError } from './notifications.ts';
import { buildOpen } from './open.ts';
import { checkOpen } from './open-check.ts';
import type { Action, DownReason, FsmState, SessionConfig, SessionMessage, StepResult, TimerName } from './types.ts';

/** What one step works on. */
export interface Input<E extends FsmEvent = FsmEvent> {
  state: FsmState;
  event: E;
  config: SessionConfig;
}

/** The state of a peering that has not been started. */
export function initialState(): FsmState {
  return {
    name: 'Idle',
    connectRetryCounter: 0,
    connectAttempts: 0,
    dampingLevel: 0,
    passive: false,
    enabled: false,
    delayOpenRunning: false,
    idleHoldRunning: false,
    disabledFamilies: [],
  };
}

export function unchanged(state: FsmState): StepResult {
  return { state, actions: [] };
}

export const startTimer = (timer: TimerName, seconds: number): Action => ({ type: 'start-timer', timer, seconds });
export const stopTimer = (timer: TimerName): Action => ({ type: 'stop-timer', timer });
export const sendMessage = (message: SessionMessage): Action => ({ type: 'send', message });

/** The timers running in a state: what "releases all BGP resources" stops. */
function runningTimers(state: FsmState): TimerName[] {
  const holding = (state.session?.holdTime ?? 0) > 0;
  switch (state.name) {
    case 'Idle':
      return [];
    case 'Connect':
    case 'Active':
      return state.delayOpenRunning ? ['DelayOpenTimer'] : ['ConnectRetryTimer'];
    case 'OpenSent':
      return ['HoldTimer'];
    case 'OpenConfirm':
      return holding ? ['HoldTimer', 'KeepaliveTimer'] : [];
    case 'Established':
      return holding ? ['HoldTimer', 'KeepaliveTimer', 'DampingResetTimer'] : ['DampingResetTimer'];
  }
}

/** (Re)arms the ConnectRetryTimer with the next step of its backoff. */
export function armConnectRetry({ state, event, config }: Input): { state: FsmState; action: Action } {
  const seconds = withJitter(backoffSeconds(config.connectRetry, state.connectAttempts), event.random);
  return {
    state: { ...state, connectAttempts: state.connectAttempts + 1 },
    action: startTimer('ConnectRetryTimer', seconds),
  };
}

export interface Start {
  passive: boolean;
  resetCounter: boolean;
  resetDamping: boolean;
}

/** Idle, Events 1 and 3-7 or an automatic restart: ConnectRetryTimer, then Connect, or Active when passive. */
export function start(input: Input, how: Start): StepResult {
  const { state } = input;
  const actions: Action[] = [];
  if (state.idleHoldRunning) actions.push(stopTimer('IdleHoldTimer'));
  const fresh: FsmState = {
    ...initialState(),
    connectRetryCounter: how.resetCounter ? 0 : state.connectRetryCounter,
    dampingLevel: how.resetDamping ? 0 : state.dampingLevel,
    passive: how.passive,
    enabled: true,
  };
  const armed = armConnectRetry({ ...input, state: fresh });
  actions.push(armed.action);
  if (how.passive) return { state: { ...armed.state, name: 'Active' }, actions };
  actions.push({ type: 'connect' });
  return { state: { ...armed.state, name: 'Connect' }, actions };
}

type CounterChange = 'increment' | 'reset' | 'keep';

interface Down {
  reason: DownReason;
  sent?: NotificationMessage;
  received?: NotificationMessage;
  counter: CounterChange;
  /** Schedule an automatic restart, unless stopped by the operator or not allowed by configuration. */
  restart: boolean;
}

function changed(counter: number, change: CounterChange): number {
  if (change === 'increment') return counter + 1;
  return change === 'reset' ? 0 : counter;
}

/**
 * Any state to Idle: the NOTIFICATION if one is due, then the resources released, the connection
 * dropped, the session reported down, and maybe an automatic restart after the IdleHoldTimer.
 */
export function toIdle({ state, event, config }: Input, down: Down): StepResult {
  const actions: Action[] = [];
  if (down.sent !== undefined) actions.push(sendMessage(down.sent));
  for (const timer of runningTimers(state)) actions.push(stopTimer(timer));
  actions.push({ type: 'drop-connection' });
  const report: Action & { type: 'session-down' } = {
    type: 'session-down',
    reason: down.reason,
    wasEstablished: state.name === 'Established',
  };
  if (down.sent !== undefined) report.sent = down.sent;
  if (down.received !== undefined) report.received = down.received;
  actions.push(report);

  const enabled = state.enabled && down.reason !== 'manual-stop';
  const restart = down.restart && enabled && config.automaticRestart;
  let dampingLevel = state.dampingLevel;
  if (restart) {
    const level = config.dampPeerOscillations ? dampingLevel : 0;
    actions.push(startTimer('IdleHoldTimer', withJitter(backoffSeconds(config.idleHold, level), event.random)));
    dampingLevel += 1;
  }
  const next: FsmState = {
    ...initialState(),
    connectRetryCounter: changed(state.connectRetryCounter, down.counter),
    connectAttempts: state.connectAttempts,
    dampingLevel,
    passive: state.passive,
    enabled,
    idleHoldRunning: restart,
  };
  return { state: next, actions };
}

/** The failure most transitions share: "increments the ConnectRetryCounter, performs damping". */
export function fail(input: Input, reason: DownReason, sent?: NotificationMessage): StepResult {
  return toIdle(input, { reason, sent, counter: 'increment', restart: true });
}

/** ManualStop: Cease/2 with the RFC 9003 message where a NOTIFICATION is due; no restart. */
export function manualStop(input: Input<FsmEvent & { type: 'ManualStop' }>, notify: boolean): StepResult {
  const sent = notify ? administrativeShutdown(input.event.shutdownMessage) : undefined;
  return toIdle(input, { reason: 'manual-stop', sent, counter: 'reset', restart: false });
}

/**
 * OpenCollisionDump: Cease/7 where an OPEN was sent. This connection lost to the other one and its
 * FSM is to be disposed (section 8.2.1.2), so it does not restart.
 */
export function collisionDump(input: Input, notify: boolean): StepResult {
  const sent = notify ? collisionResolution() : undefined;
  return toIdle(input, { reason: 'collision', sent, counter: 'increment', restart: false });
}

export function receivedNotification(input: Input, received: NotificationMessage, counter: CounterChange): StepResult {
  return toIdle(input, { reason: 'notification-received', received, counter, restart: true });
}

/** Events 21 and 22: the NOTIFICATION the codec's error calls for, when one may be sent. */
export function messageError(input: Input<FsmEvent & { type: 'BGPHeaderErr' | 'BGPOpenMsgErr' }>, notify: boolean) {
  const { error } = input.event;
  return fail(input, error.code === 1 ? 'message-error' : 'open-rejected', notify ? fromWireError(error) : undefined);
}

/** Sends our OPEN and sets the HoldTimer to its large value: OpenSent (sections 8.2.2 and 10). */
export function sendOpen({ state, config }: Input, actions: Action[]): StepResult {
  const localOpen = buildOpen(config);
  actions.push(sendMessage(localOpen), startTimer('HoldTimer', config.openHoldTime));
  return { state: { ...state, name: 'OpenSent', delayOpenRunning: false, localOpen }, actions };
}

/**
 * Events 19 and 20: a valid OPEN gets a KEEPALIVE (after our OPEN, if the DelayOpenTimer held it
 * back), then the negotiated timers, none when the hold time is 0 (section 4.2): OpenConfirm. An
 * OPEN that fails the checks against the configuration is Event 22 instead.
 */
export function acceptOpen(input: Input, open: OpenMessage, actions: Action[]): StepResult {
  const { state, event, config } = input;
  const delayed = state.name === 'Connect' || state.name === 'Active';
  const localOpen = state.localOpen ?? buildOpen(config);
  const rejection = checkOpen(open, config, localOpen);
  if (rejection !== undefined) {
    return fail(input, 'open-rejected', !delayed || config.sendNotificationWithoutOpen ? rejection : undefined);
  }
  const session = negotiate(localOpen, open);
  if (delayed) actions.push(sendMessage(localOpen));
  actions.push(sendMessage({ type: 'keepalive' }));
  if (session.holdTime > 0) {
    actions.push(
      startTimer('KeepaliveTimer', withJitter(session.keepaliveTime, event.random)),
      startTimer('HoldTimer', session.holdTime),
    );
  } else if (!delayed) {
    actions.push(stopTimer('HoldTimer'));
  }
  return { state: { ...state, name: 'OpenConfirm', delayOpenRunning: false, localOpen, session }, actions };
}

/** The state without the OPEN we sent: its connection is gone. */
export function withoutOpen(state: FsmState): FsmState {
  const { localOpen, ...rest } = state;
  return localOpen === undefined ? state : rest;
}

/** KeepaliveTimer_Expires, and an UPDATE sent: the KeepaliveTimer restarts, unless the hold time is 0. */
export function keepaliveRestart({ state, event }: Input): Action[] {
  const session = state.session;
  if (session === undefined || session.holdTime === 0) return [];
  return [startTimer('KeepaliveTimer', withJitter(session.keepaliveTime, event.random))];
}

/** A message arrived: the HoldTimer restarts, unless the hold time is 0. */
export function holdRestart(state: FsmState): Action[] {
  const holdTime = state.session?.holdTime ?? 0;
  return holdTime > 0 ? [startTimer('HoldTimer', holdTime)] : [];
}
