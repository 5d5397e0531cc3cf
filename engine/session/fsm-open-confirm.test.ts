/** RFC 4271 section 8.2.2, OpenConfirm state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FsmEvent } from './events.ts';
import { step } from './fsm.ts';
import { actionTypes, peerOpen, stateIn, testConfig } from './testing.ts';
import type { Action } from './types.ts';

const config = testConfig();
const idleHold: Action = { type: 'start-timer', timer: 'IdleHoldTimer', seconds: 5 };
const running: Action[] = [
  { type: 'stop-timer', timer: 'HoldTimer' },
  { type: 'stop-timer', timer: 'KeepaliveTimer' },
];

function failure(reason: string, sent: object): Action[] {
  return [
    { type: 'send', message: sent },
    ...running,
    { type: 'drop-connection' },
    { type: 'session-down', reason, wasEstablished: false, sent },
    idleHold,
  ] as Action[];
}

test('KEEPALIVE: HoldTimer restarts, DampingResetTimer starts, the session is Established', () => {
  const from = stateIn('OpenConfirm');
  const { state, actions } = step(from, { type: 'KeepAliveMsg' }, config);
  assert.deepEqual(actions, [
    { type: 'start-timer', timer: 'HoldTimer', seconds: 90 },
    { type: 'start-timer', timer: 'DampingResetTimer', seconds: 300 },
    { type: 'established', session: from.session },
  ]);
  assert.equal(state.name, 'Established');
});

test('KEEPALIVE with a zero hold time: no HoldTimer', () => {
  const from = stateIn('OpenConfirm', config, peerOpen({ holdTime: 0 }));
  const { actions } = step(from, { type: 'KeepAliveMsg' }, config);
  assert.deepEqual(actionTypes(actions), ['start-timer', 'established']);
  assert.deepEqual(actions[0], { type: 'start-timer', timer: 'DampingResetTimer', seconds: 300 });
});

test('KeepaliveTimer_Expires: KEEPALIVE, timer restarted, still OpenConfirm', () => {
  const from = stateIn('OpenConfirm');
  assert.deepEqual(step(from, { type: 'KeepaliveTimer_Expires' }, config), {
    state: from,
    actions: [
      { type: 'send', message: { type: 'keepalive' } },
      { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 30 },
    ],
  });
});

test('HoldTimer_Expires before the KEEPALIVE: 4/0, Idle', () => {
  const { state, actions } = step(stateIn('OpenConfirm'), { type: 'HoldTimer_Expires' }, config);
  assert.deepEqual(actions, failure('hold-timer-expired', { type: 'notification', code: 4, subcode: 0, data: '' }));
  assert.equal(state.connectRetryCounter, 1);
});

test('ManualStop: Cease/2, counter reset, no restart', () => {
  const { state, actions } = step(stateIn('OpenConfirm'), { type: 'ManualStop' }, config);
  assert.deepEqual(
    actions,
    failure('manual-stop', { type: 'notification', code: 6, subcode: 2, data: '' }).slice(0, 5),
  );
  assert.deepEqual([state.connectRetryCounter, state.enabled], [0, false]);
});

test('AutomaticStop: its Cease, counter incremented', () => {
  const cease = { subcode: 1, data: '00010100000064' };
  const { state, actions } = step(stateIn('OpenConfirm'), { type: 'AutomaticStop', cease }, config);
  assert.deepEqual(
    actions,
    failure('automatic-stop', { type: 'notification', code: 6, subcode: 1, data: '00010100000064' }),
  );
  assert.equal(state.connectRetryCounter, 1);
});

test('TcpConnectionFails and NOTIFICATIONs: Idle without sending anything', () => {
  const received = { type: 'notification', code: 6, subcode: 3, data: '' } as const;
  const version = { type: 'notification', code: 2, subcode: 1, data: '0004' } as const;
  const cases: [FsmEvent, Action, number][] = [
    [{ type: 'TcpConnectionFails' }, { type: 'session-down', reason: 'connection-failed', wasEstablished: false }, 1],
    [
      { type: 'NotifMsg', notification: received },
      { type: 'session-down', reason: 'notification-received', wasEstablished: false, received },
      1,
    ],
    [
      { type: 'NotifMsgVerErr', notification: version },
      { type: 'session-down', reason: 'notification-received', wasEstablished: false, received: version },
      0,
    ],
  ];
  for (const [event, down, counter] of cases) {
    const { state, actions } = step(stateIn('OpenConfirm'), event, config);
    assert.deepEqual(actions, [...running, { type: 'drop-connection' }, down, idleHold], event.type);
    assert.equal(state.connectRetryCounter, counter, event.type);
  }
});

test('OpenCollisionDump: Cease/7, no restart', () => {
  const { state, actions } = step(stateIn('OpenConfirm'), { type: 'OpenCollisionDump' }, config);
  assert.deepEqual(actions, failure('collision', { type: 'notification', code: 6, subcode: 7, data: '' }).slice(0, 5));
  assert.equal(state.idleHoldRunning, false);
});

test('header and OPEN errors: their NOTIFICATION', () => {
  const error = { action: 'session-reset', code: 1, subcode: 3, reason: 'bad-message-type', data: '09' } as const;
  const { actions } = step(stateIn('OpenConfirm'), { type: 'BGPHeaderErr', error }, config);
  assert.deepEqual(actions, failure('message-error', { type: 'notification', code: 1, subcode: 3, data: '09' }));
});

test('unexpected events: FSM Error, subcode 2 for a message (RFC 6608), 0 for a timer', () => {
  const cases: [FsmEvent, number][] = [
    [{ type: 'BGPOpen', open: peerOpen() }, 2],
    [{ type: 'UpdateMsg', update: { type: 'update', withdrawn: [], attributes: [], nlri: [] } }, 2],
    [{ type: 'UpdateMsgErr', error: { action: 'session-reset', code: 3, subcode: 1, reason: 'x', data: '' } }, 2],
    [{ type: 'RouteRefreshMsg', message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } }, 2],
    [{ type: 'ConnectRetryTimer_Expires' }, 0],
    [{ type: 'DelayOpenTimer_Expires' }, 0],
    [{ type: 'IdleHoldTimer_Expires' }, 0],
  ];
  for (const [event, subcode] of cases) {
    const { state, actions } = step(stateIn('OpenConfirm'), event, config);
    assert.deepEqual(actions, failure('fsm-error', { type: 'notification', code: 5, subcode, data: '' }), event.type);
    assert.equal(state.name, 'Idle');
  }
});

test('start events and a second connection change nothing', () => {
  const state = stateIn('OpenConfirm');
  for (const type of ['ManualStart', 'AutomaticStart', 'Tcp_CR_Acked', 'TcpConnectionConfirmed'] as const) {
    assert.deepEqual(step(state, { type }, config), { state, actions: [] }, type);
  }
});
