/** RFC 4271 section 8.2.2, Idle state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FsmEvent } from './events.ts';
import { initialState, step } from './fsm.ts';
import { run, testConfig } from './testing.ts';

const config = testConfig();

test('ManualStart and AutomaticStart: ConnectRetryTimer, connect, Connect', () => {
  for (const type of ['ManualStart', 'AutomaticStart'] as const) {
    const { state, actions } = step(initialState(), { type }, config);
    assert.deepEqual(
      actions,
      [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }, { type: 'connect' }],
      type,
    );
    assert.equal(state.name, 'Connect');
    assert.equal(state.connectRetryCounter, 0);
    assert.equal(state.enabled, true);
  }
});

test('the passive starts listen only: Active', () => {
  const passive = [
    'ManualStart_with_PassiveTcpEstablishment',
    'AutomaticStart_with_PassiveTcpEstablishment',
    'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment',
  ] as const;
  for (const type of passive) {
    const { state, actions } = step(initialState(), { type }, config);
    assert.deepEqual(actions, [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }], type);
    assert.equal(state.name, 'Active');
    assert.equal(state.passive, true);
  }
});

test('a peering configured passive starts in Active whatever the start event', () => {
  const { state, actions } = step(initialState(), { type: 'ManualStart' }, testConfig({ passive: true }));
  assert.equal(state.name, 'Active');
  assert.deepEqual(actions, [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }]);
});

test('the ConnectRetryTimer takes its jitter from the event (RFC 4271 section 10)', () => {
  const { actions } = step(initialState(), { type: 'ManualStart', random: 0 }, config);
  assert.deepEqual(actions[0], { type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 3.75 });
});

test('ManualStart resets the ConnectRetryCounter and the damping', () => {
  const worn = { ...initialState(), connectRetryCounter: 4, dampingLevel: 3 };
  const { state } = step(worn, { type: 'ManualStart' }, config);
  assert.equal(state.connectRetryCounter, 0);
  assert.equal(state.dampingLevel, 0);
});

test('AutomaticStart resets the counter but keeps the damping; the damped start keeps both', () => {
  const worn = { ...initialState(), connectRetryCounter: 4, dampingLevel: 3 };
  const automatic = step(worn, { type: 'AutomaticStart' }, config).state;
  assert.deepEqual([automatic.connectRetryCounter, automatic.dampingLevel], [0, 3]);
  const damped = step(worn, { type: 'AutomaticStart_with_DampPeerOscillations' }, config).state;
  assert.deepEqual([damped.name, damped.connectRetryCounter, damped.dampingLevel], ['Connect', 4, 3]);
});

test('with an automatic restart pending, a damped start waits and an explicit start cancels the wait', () => {
  const waiting = { ...initialState(), enabled: true, idleHoldRunning: true };
  assert.deepEqual(step(waiting, { type: 'AutomaticStart_with_DampPeerOscillations' }, config), {
    state: waiting,
    actions: [],
  });
  const started = step(waiting, { type: 'ManualStart' }, config);
  assert.equal(started.state.name, 'Connect');
  assert.equal(started.state.idleHoldRunning, false);
  assert.deepEqual(started.actions[0], { type: 'stop-timer', timer: 'IdleHoldTimer' });
});

test('automatic starts are ignored when automatic restarts are not allowed', () => {
  const manualOnly = testConfig({ automaticRestart: false });
  for (const type of ['AutomaticStart', 'AutomaticStart_with_DampPeerOscillations'] as const) {
    assert.deepEqual(step(initialState(), { type }, manualOnly), { state: initialState(), actions: [] });
  }
});

test('IdleHoldTimer_Expires restarts a peering that failed, without resetting its counters', () => {
  const failed = { ...initialState(), enabled: true, idleHoldRunning: true, connectRetryCounter: 2, dampingLevel: 2 };
  const { state, actions } = step(failed, { type: 'IdleHoldTimer_Expires' }, config);
  assert.deepEqual(actions, [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }, { type: 'connect' }]);
  assert.deepEqual(
    [state.name, state.connectRetryCounter, state.dampingLevel, state.idleHoldRunning],
    ['Connect', 2, 2, false],
  );

  const passive = step({ ...failed, passive: true }, { type: 'IdleHoldTimer_Expires' }, config);
  assert.equal(passive.state.name, 'Active');
});

test('IdleHoldTimer_Expires after a ManualStop does nothing', () => {
  const stopped = { ...initialState(), enabled: false, idleHoldRunning: true };
  const { state, actions } = step(stopped, { type: 'IdleHoldTimer_Expires' }, config);
  assert.deepEqual(actions, []);
  assert.equal(state.name, 'Idle');
  assert.equal(state.idleHoldRunning, false);
});

test('ManualStop in Idle changes nothing but cancels a pending automatic restart', () => {
  assert.deepEqual(step(initialState(), { type: 'ManualStop' }, config), { state: initialState(), actions: [] });
  const waiting = { ...initialState(), enabled: true, idleHoldRunning: true };
  const { state, actions } = step(waiting, { type: 'ManualStop' }, config);
  assert.deepEqual(actions, [{ type: 'stop-timer', timer: 'IdleHoldTimer' }]);
  assert.deepEqual([state.name, state.enabled, state.idleHoldRunning], ['Idle', false, false]);
});

test('every other event is ignored in Idle (events 8-12, 15-28)', () => {
  const notification = { type: 'notification', code: 6, subcode: 2, data: '' } as const;
  const error = { action: 'session-reset', code: 1, subcode: 1, reason: 'bad-marker', data: '' } as const;
  const events: FsmEvent[] = [
    { type: 'AutomaticStop', cease: { subcode: 6 } },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'HoldTimer_Expires' },
    { type: 'KeepaliveTimer_Expires' },
    { type: 'DelayOpenTimer_Expires' },
    { type: 'DampingResetTimer_Expires' },
    { type: 'Tcp_CR_Acked' },
    { type: 'TcpConnectionConfirmed' },
    { type: 'TcpConnectionFails' },
    {
      type: 'BGPOpen',
      open: { type: 'open', version: 4, myAs: 65002, holdTime: 90, bgpId: '192.0.2.2', capabilities: [] },
    },
    { type: 'BGPHeaderErr', error },
    { type: 'BGPOpenMsgErr', error: { ...error, code: 2 } },
    { type: 'OpenCollisionDump' },
    { type: 'NotifMsgVerErr', notification: { ...notification, code: 2, subcode: 1 } },
    { type: 'NotifMsg', notification },
    { type: 'KeepAliveMsg' },
    { type: 'UpdateMsg', update: { type: 'update', withdrawn: [], attributes: [], nlri: [] } },
    { type: 'UpdateMsgErr', error: { ...error, code: 3 } },
    { type: 'RouteRefreshMsg', message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } },
    { type: 'RouteRefreshMsgErr', error: { ...error, code: 7 } },
    { type: 'UpdateSent' },
    { type: 'SendRouteRefresh', family: 'ipv4-unicast', subtype: 0 },
  ];
  for (const event of events) {
    assert.deepEqual(step(initialState(), event, config), { state: initialState(), actions: [] }, event.type);
  }
});

test('start events are ignored once started', () => {
  const { state } = run(config, [{ type: 'ManualStart' }]);
  for (const type of ['ManualStart', 'AutomaticStart', 'ManualStart_with_PassiveTcpEstablishment'] as const) {
    assert.deepEqual(step(state, { type }, config), { state, actions: [] }, type);
  }
});
