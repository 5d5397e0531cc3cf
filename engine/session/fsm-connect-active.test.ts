/** RFC 4271 section 8.2.2, Connect and Active states. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WireError } from '../wire/types.ts';
import type { FsmEvent } from './events.ts';
import { step } from './fsm.ts';
import { buildOpen } from './open.ts';
import { actionTypes, peerOpen, run, stateIn, testConfig } from './testing.ts';
import type { Action, FsmState } from './types.ts';

const config = testConfig();
const delayed = testConfig({ delayOpenTime: 10 });
const headerError: WireError = {
  action: 'session-reset',
  code: 1,
  subcode: 2,
  reason: 'bad-message-length',
  data: '0010',
};
const notification = { type: 'notification', code: 6, subcode: 4, data: '' } as const;
const versionError = { type: 'notification', code: 2, subcode: 1, data: '0004' } as const;

/** Connect or Active with the connection up and the DelayOpenTimer running. */
function waitingForOpen(from: 'Connect' | 'Active'): FsmState {
  const { state } = run(delayed, [{ type: 'Tcp_CR_Acked' }], stateIn(from, delayed));
  assert.equal(state.delayOpenRunning, true);
  return state;
}

const idleHold: Action = { type: 'start-timer', timer: 'IdleHoldTimer', seconds: 5 };

test('Connect: the TCP connection succeeds, our OPEN goes out with the large hold timer: OpenSent', () => {
  for (const type of ['Tcp_CR_Acked', 'TcpConnectionConfirmed'] as const) {
    const { state, actions } = step(stateIn('Connect'), { type }, config);
    assert.deepEqual(actions, [
      { type: 'stop-timer', timer: 'ConnectRetryTimer' },
      { type: 'send', message: buildOpen(config) },
      { type: 'start-timer', timer: 'HoldTimer', seconds: 240 },
    ]);
    assert.equal(state.name, 'OpenSent');
    assert.deepEqual(state.localOpen, buildOpen(config));
  }
});

test('Active: the TCP connection succeeds the same way', () => {
  const { state, actions } = step(stateIn('Active'), { type: 'TcpConnectionConfirmed' }, config);
  assert.deepEqual(actionTypes(actions), ['stop-timer', 'send open', 'start-timer']);
  assert.equal(state.name, 'OpenSent');
});

test('DelayOpen: the connection succeeds, the DelayOpenTimer starts, the state stays', () => {
  for (const from of ['Connect', 'Active'] as const) {
    const { state, actions } = step(stateIn(from, delayed), { type: 'Tcp_CR_Acked' }, delayed);
    assert.deepEqual(actions, [
      { type: 'stop-timer', timer: 'ConnectRetryTimer' },
      { type: 'start-timer', timer: 'DelayOpenTimer', seconds: 10 },
    ]);
    assert.equal(state.name, from);
    assert.equal(state.delayOpenRunning, true);
  }
});

test('DelayOpenTimer_Expires: our OPEN goes out: OpenSent', () => {
  for (const from of ['Connect', 'Active'] as const) {
    const { state, actions } = step(waitingForOpen(from), { type: 'DelayOpenTimer_Expires' }, delayed);
    assert.deepEqual(actions, [
      { type: 'send', message: buildOpen(delayed) },
      { type: 'start-timer', timer: 'HoldTimer', seconds: 240 },
    ]);
    assert.equal(state.name, 'OpenSent');
    assert.equal(state.delayOpenRunning, false);
  }
});

test('Event 20: the OPEN arrives while the DelayOpenTimer runs: OPEN, KEEPALIVE, timers, OpenConfirm', () => {
  for (const from of ['Connect', 'Active'] as const) {
    const { state, actions } = step(
      waitingForOpen(from),
      { type: 'BGPOpen', open: peerOpen({ holdTime: 30 }) },
      delayed,
    );
    assert.deepEqual(actions, [
      { type: 'stop-timer', timer: 'DelayOpenTimer' },
      { type: 'send', message: buildOpen(delayed) },
      { type: 'send', message: { type: 'keepalive' } },
      { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 10 },
      { type: 'start-timer', timer: 'HoldTimer', seconds: 30 },
    ]);
    assert.equal(state.name, 'OpenConfirm');
    assert.equal(state.session?.holdTime, 30);
  }
});

test('Event 20 with a zero hold time starts no timer', () => {
  const { state, actions } = step(
    waitingForOpen('Connect'),
    { type: 'BGPOpen', open: peerOpen({ holdTime: 0 }) },
    delayed,
  );
  assert.deepEqual(actionTypes(actions), ['stop-timer', 'send open', 'send keepalive']);
  assert.equal(state.session?.holdTime, 0);
});

test('Event 20 with an unacceptable OPEN: its NOTIFICATION (SendNOTIFICATIONwithoutOPEN), then Idle', () => {
  const { state, actions } = step(
    waitingForOpen('Active'),
    { type: 'BGPOpen', open: peerOpen({ myAs: 65009 }) },
    delayed,
  );
  const sent = { type: 'notification', code: 2, subcode: 2, data: '' } as const;
  assert.deepEqual(actions, [
    { type: 'send', message: sent },
    { type: 'stop-timer', timer: 'DelayOpenTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'open-rejected', wasEstablished: false, sent },
    idleHold,
  ]);
  assert.deepEqual([state.name, state.connectRetryCounter], ['Idle', 1]);

  const silent = testConfig({ delayOpenTime: 10, sendNotificationWithoutOpen: false });
  const quiet = step(
    run(silent, [{ type: 'Tcp_CR_Acked' }], stateIn('Active', silent)).state,
    {
      type: 'BGPOpen',
      open: peerOpen({ myAs: 65009 }),
    },
    silent,
  );
  assert.deepEqual(actionTypes(quiet.actions), ['stop-timer', 'drop-connection', 'session-down', 'start-timer']);
});

test('Connect: ConnectRetryTimer_Expires drops the attempt and tries again, backing off', () => {
  let state = stateIn('Connect');
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    const result = step(state, { type: 'ConnectRetryTimer_Expires' }, config);
    assert.deepEqual(actionTypes(result.actions), ['drop-connection', 'start-timer', 'connect']);
    const timer = result.actions[1];
    assert.ok(timer.type === 'start-timer' && timer.timer === 'ConnectRetryTimer');
    delays.push(timer.seconds);
    state = result.state;
    assert.equal(state.name, 'Connect');
  }
  assert.deepEqual(delays, [10, 20, 40, 80, 120, 120, 120]);
  assert.equal(state.connectRetryCounter, 0, 'a retry is not a failure');
});

test('Active: ConnectRetryTimer_Expires initiates a connection: Connect; configured passive, it keeps listening', () => {
  const { state, actions } = step(stateIn('Active'), { type: 'ConnectRetryTimer_Expires' }, config);
  assert.deepEqual(actions, [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 10 }, { type: 'connect' }]);
  assert.equal(state.name, 'Connect');

  const passive = testConfig({ passive: true });
  const listening = step(stateIn('Active', passive), { type: 'ConnectRetryTimer_Expires' }, passive);
  assert.deepEqual(listening.actions, [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 10 }]);
  assert.equal(listening.state.name, 'Active');
});

test('Connect: TcpConnectionFails while the DelayOpenTimer runs: back to listening in Active', () => {
  const { state, actions } = step(waitingForOpen('Connect'), { type: 'TcpConnectionFails' }, delayed);
  assert.deepEqual(actions, [
    { type: 'stop-timer', timer: 'DelayOpenTimer' },
    { type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 10 },
  ]);
  assert.deepEqual([state.name, state.delayOpenRunning, state.connectRetryCounter], ['Active', false, 0]);
});

test('Connect: TcpConnectionFails otherwise: Idle, the counter unchanged, a restart scheduled', () => {
  const { state, actions } = step(stateIn('Connect'), { type: 'TcpConnectionFails' }, config);
  assert.deepEqual(actions, [
    { type: 'stop-timer', timer: 'ConnectRetryTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'connection-failed', wasEstablished: false },
    idleHold,
  ]);
  assert.deepEqual([state.name, state.connectRetryCounter, state.idleHoldRunning], ['Idle', 0, true]);
});

test('Active: TcpConnectionFails: Idle, the counter incremented', () => {
  const { state, actions } = step(waitingForOpen('Active'), { type: 'TcpConnectionFails' }, delayed);
  assert.deepEqual(actionTypes(actions), ['stop-timer', 'drop-connection', 'session-down', 'start-timer']);
  assert.deepEqual([state.name, state.connectRetryCounter], ['Idle', 1]);
});

test('ManualStop: Idle with the counter reset and no restart; Active sends Cease/2 on an open connection', () => {
  const connect = step(stateIn('Connect'), { type: 'ManualStop' }, config);
  assert.deepEqual(connect.actions, [
    { type: 'stop-timer', timer: 'ConnectRetryTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'manual-stop', wasEstablished: false },
  ]);
  assert.deepEqual([connect.state.name, connect.state.enabled, connect.state.idleHoldRunning], ['Idle', false, false]);

  const active = step(stateIn('Active'), { type: 'ManualStop', shutdownMessage: 'bye' }, config);
  assert.deepEqual(actionTypes(active.actions), ['stop-timer', 'drop-connection', 'session-down']);

  const open = step(waitingForOpen('Active'), { type: 'ManualStop', shutdownMessage: 'bye' }, delayed);
  const sent = { type: 'notification', code: 6, subcode: 2, data: '', shutdownMessage: 'bye' } as const;
  assert.deepEqual(open.actions, [
    { type: 'send', message: sent },
    { type: 'stop-timer', timer: 'DelayOpenTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'manual-stop', wasEstablished: false, sent },
  ]);
});

test('header and OPEN errors: NOTIFICATION when allowed without our OPEN, then Idle', () => {
  for (const from of ['Connect', 'Active'] as const) {
    for (const type of ['BGPHeaderErr', 'BGPOpenMsgErr'] as const) {
      const error = type === 'BGPHeaderErr' ? headerError : { ...headerError, code: 2, subcode: 4, data: '' };
      const { state, actions } = step(waitingForOpen(from), { type, error }, delayed);
      const sent = { type: 'notification', code: error.code, subcode: error.subcode, data: error.data } as const;
      assert.deepEqual(actions[0], { type: 'send', message: sent }, `${from} ${type}`);
      assert.deepEqual(actionTypes(actions), [
        'send notification',
        'stop-timer',
        'drop-connection',
        'session-down',
        'start-timer',
      ]);
      assert.deepEqual([state.name, state.connectRetryCounter], ['Idle', 1]);
    }
  }
  const silent = testConfig({ sendNotificationWithoutOpen: false });
  const quiet = step(stateIn('Connect', silent), { type: 'BGPHeaderErr', error: headerError }, silent);
  assert.deepEqual(actionTypes(quiet.actions), ['stop-timer', 'drop-connection', 'session-down', 'start-timer']);
});

test('NotifMsgVerErr: the counter stays while the DelayOpenTimer runs, and increments otherwise', () => {
  const waiting = step(waitingForOpen('Connect'), { type: 'NotifMsgVerErr', notification: versionError }, delayed);
  assert.deepEqual(waiting.actions, [
    { type: 'stop-timer', timer: 'DelayOpenTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'notification-received', wasEstablished: false, received: versionError },
    idleHold,
  ]);
  assert.equal(waiting.state.connectRetryCounter, 0);
  const connecting = step(stateIn('Connect'), { type: 'NotifMsgVerErr', notification: versionError }, config);
  assert.equal(connecting.state.connectRetryCounter, 1);
});

test('every other event in Connect and Active: Idle, counter incremented, no NOTIFICATION', () => {
  const error: WireError = {
    action: 'session-reset',
    code: 3,
    subcode: 1,
    reason: 'malformed-attribute-list',
    data: '',
  };
  const cases: [FsmEvent, string][] = [
    [{ type: 'AutomaticStop', cease: { subcode: 1 } }, 'automatic-stop'],
    [{ type: 'HoldTimer_Expires' }, 'fsm-error'],
    [{ type: 'KeepaliveTimer_Expires' }, 'fsm-error'],
    [{ type: 'IdleHoldTimer_Expires' }, 'fsm-error'],
    [{ type: 'DelayOpenTimer_Expires' }, 'fsm-error'],
    [{ type: 'BGPOpen', open: peerOpen() }, 'fsm-error'],
    [{ type: 'NotifMsg', notification }, 'notification-received'],
    [{ type: 'KeepAliveMsg' }, 'fsm-error'],
    [{ type: 'UpdateMsg', update: { type: 'update', withdrawn: [], attributes: [], nlri: [] } }, 'fsm-error'],
    [{ type: 'UpdateMsgErr', error }, 'fsm-error'],
    [{ type: 'RouteRefreshMsg', message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } }, 'fsm-error'],
  ];
  for (const from of ['Connect', 'Active'] as const) {
    for (const [event, reason] of cases) {
      const { state, actions } = step(stateIn(from), event, config);
      const name = `${from} ${event.type}`;
      assert.deepEqual(actionTypes(actions), ['stop-timer', 'drop-connection', 'session-down', 'start-timer'], name);
      const down = actions[2];
      assert.ok(down.type === 'session-down' && down.reason === reason && down.sent === undefined, name);
      assert.deepEqual([state.name, state.connectRetryCounter, state.dampingLevel], ['Idle', 1, 1], name);
    }
  }
});

test('OpenCollisionDump in Connect or Active: Idle without a restart', () => {
  const { state, actions } = step(stateIn('Active'), { type: 'OpenCollisionDump' }, config);
  assert.deepEqual(actions, [
    { type: 'stop-timer', timer: 'ConnectRetryTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'collision', wasEstablished: false },
  ]);
  assert.equal(state.idleHoldRunning, false);
});

test('local requests mean nothing before Established', () => {
  const state = stateIn('Connect');
  for (const event of [{ type: 'UpdateSent' }, { type: 'DampingResetTimer_Expires' }] as FsmEvent[]) {
    assert.deepEqual(step(state, event, config), { state, actions: [] });
  }
});
