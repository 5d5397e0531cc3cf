/** RFC 4271 section 8.2.2, OpenSent state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WireError } from '../wire/types.ts';
import type { FsmEvent } from './events.ts';
import { step } from './fsm.ts';
import { negotiate } from './negotiate.ts';
import { buildOpen } from './open.ts';
import { actionTypes, LOCAL_ID, peerOpen, stateIn, testConfig } from './testing.ts';
import type { Action } from './types.ts';

const config = testConfig();
const idleHold: Action = { type: 'start-timer', timer: 'IdleHoldTimer', seconds: 5 };

/** The actions of a failure in OpenSent that sends `sent`. */
function failure(reason: string, sent: object): Action[] {
  return [
    { type: 'send', message: sent },
    { type: 'stop-timer', timer: 'HoldTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason, wasEstablished: false, sent },
    idleHold,
  ] as Action[];
}

test('a valid OPEN: KEEPALIVE, KeepaliveTimer a third of the hold time, HoldTimer: OpenConfirm', () => {
  const open = peerOpen({ holdTime: 60 });
  const { state, actions } = step(stateIn('OpenSent'), { type: 'BGPOpen', open }, config);
  assert.deepEqual(actions, [
    { type: 'send', message: { type: 'keepalive' } },
    { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 20 },
    { type: 'start-timer', timer: 'HoldTimer', seconds: 60 },
  ]);
  assert.equal(state.name, 'OpenConfirm');
  assert.deepEqual(state.session, negotiate(buildOpen(config), open));
});

test('the KeepaliveTimer takes its jitter from the event', () => {
  const { actions } = step(stateIn('OpenSent'), { type: 'BGPOpen', open: peerOpen(), random: 0 }, config);
  assert.deepEqual(actions[1], { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 22.5 });
});

test('a zero hold time on either side: no KeepaliveTimer, the large HoldTimer stops', () => {
  for (const [ours, theirs] of [
    [0, 90],
    [90, 0],
  ]) {
    const local = testConfig({ holdTime: ours });
    const { state, actions } = step(
      stateIn('OpenSent', local),
      { type: 'BGPOpen', open: peerOpen({ holdTime: theirs }) },
      local,
    );
    assert.deepEqual(actions, [
      { type: 'send', message: { type: 'keepalive' } },
      { type: 'stop-timer', timer: 'HoldTimer' },
    ]);
    assert.equal(state.session?.holdTime, 0);
  }
});

test('OPEN errors found against the configuration: their NOTIFICATION, Idle', () => {
  const cases: [string, ReturnType<typeof peerOpen>, ReturnType<typeof testConfig>, number, number][] = [
    ['bad peer AS', peerOpen({ myAs: 65003 }), config, 2, 2],
    [
      'our identifier from an internal peer',
      peerOpen({ myAs: 65001, bgpId: LOCAL_ID }),
      testConfig({ peerAs: 65001 }),
      2,
      3,
    ],
    ['missing required capability', peerOpen(), testConfig({ requiredCapabilities: ['extended-message'] }), 2, 7],
  ];
  for (const [name, open, local, code, subcode] of cases) {
    const { state, actions } = step(stateIn('OpenSent', local), { type: 'BGPOpen', open }, local);
    const sent = actions[0];
    assert.ok(sent.type === 'send' && sent.message.type === 'notification', name);
    assert.deepEqual([sent.message.code, sent.message.subcode], [code, subcode], name);
    assert.deepEqual(
      actionTypes(actions),
      ['send notification', 'stop-timer', 'drop-connection', 'session-down', 'start-timer'],
      name,
    );
    assert.deepEqual([state.name, state.connectRetryCounter], ['Idle', 1], name);
  }
  const missing = step(
    stateIn('OpenSent', testConfig({ requiredCapabilities: ['extended-message'] })),
    { type: 'BGPOpen', open: peerOpen() },
    testConfig({ requiredCapabilities: ['extended-message'] }),
  );
  assert.deepEqual(missing.actions[0], {
    type: 'send',
    message: { type: 'notification', code: 2, subcode: 7, data: '0600' },
  });
});

test('header and OPEN errors from the codec: their NOTIFICATION, Idle', () => {
  const errors: [FsmEvent['type'], WireError][] = [
    ['BGPHeaderErr', { action: 'session-reset', code: 1, subcode: 1, reason: 'bad-marker', data: '' }],
    ['BGPOpenMsgErr', { action: 'session-reset', code: 2, subcode: 6, reason: 'unacceptable-hold-time', data: '' }],
    ['BGPOpenMsgErr', { action: 'session-reset', code: 2, subcode: 1, reason: 'unsupported-version', data: '0004' }],
  ];
  for (const [type, error] of errors) {
    const { state, actions } = step(stateIn('OpenSent'), { type, error } as FsmEvent, config);
    const sent = { type: 'notification', code: error.code, subcode: error.subcode, data: error.data };
    const reason = error.code === 1 ? 'message-error' : 'open-rejected';
    assert.deepEqual(actions, failure(reason, sent), error.reason);
    assert.equal(state.name, 'Idle');
  }
});

test('HoldTimer_Expires: NOTIFICATION 4/0, Idle', () => {
  const { state, actions } = step(stateIn('OpenSent'), { type: 'HoldTimer_Expires' }, config);
  assert.deepEqual(actions, failure('hold-timer-expired', { type: 'notification', code: 4, subcode: 0, data: '' }));
  assert.deepEqual([state.name, state.connectRetryCounter, state.dampingLevel], ['Idle', 1, 1]);
});

test('ManualStop: Cease/2 with the shutdown message, counter reset, no restart', () => {
  const start = { ...stateIn('OpenSent'), connectRetryCounter: 3 };
  const { state, actions } = step(start, { type: 'ManualStop', shutdownMessage: 'draining node-1' }, config);
  const sent = { type: 'notification', code: 6, subcode: 2, data: '', shutdownMessage: 'draining node-1' };
  assert.deepEqual(actions, failure('manual-stop', sent).slice(0, 4));
  assert.deepEqual(
    [state.name, state.connectRetryCounter, state.enabled, state.idleHoldRunning],
    ['Idle', 0, false, false],
  );
});

test('AutomaticStop: the Cease it names, counter incremented, restart scheduled', () => {
  const { state, actions } = step(stateIn('OpenSent'), { type: 'AutomaticStop', cease: { subcode: 6 } }, config);
  assert.deepEqual(actions, failure('automatic-stop', { type: 'notification', code: 6, subcode: 6, data: '' }));
  assert.equal(state.connectRetryCounter, 1);
});

test('OpenCollisionDump: Cease/7, Idle, no restart', () => {
  const { state, actions } = step(stateIn('OpenSent'), { type: 'OpenCollisionDump' }, config);
  assert.deepEqual(actions, failure('collision', { type: 'notification', code: 6, subcode: 7, data: '' }).slice(0, 4));
  assert.equal(state.idleHoldRunning, false);
});

test('TcpConnectionFails: the connection closes, ConnectRetryTimer restarts, Active', () => {
  const { state, actions } = step(stateIn('OpenSent'), { type: 'TcpConnectionFails' }, config);
  assert.deepEqual(actions, [
    { type: 'stop-timer', timer: 'HoldTimer' },
    { type: 'drop-connection' },
    { type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 10 },
  ]);
  assert.equal(state.name, 'Active');
  assert.equal(state.localOpen, undefined);
  assert.equal(state.connectRetryCounter, 0);
});

test("a second TCP connection is not this FSM's business", () => {
  const state = stateIn('OpenSent');
  for (const type of ['Tcp_CR_Acked', 'TcpConnectionConfirmed'] as const) {
    assert.deepEqual(step(state, { type }, config), { state, actions: [] });
  }
});

test('a NOTIFICATION received: Idle without answering it', () => {
  const received = { type: 'notification', code: 6, subcode: 5, data: '' } as const;
  const { state, actions } = step(stateIn('OpenSent'), { type: 'NotifMsg', notification: received }, config);
  assert.deepEqual(actions, [
    { type: 'stop-timer', timer: 'HoldTimer' },
    { type: 'drop-connection' },
    { type: 'session-down', reason: 'notification-received', wasEstablished: false, received },
    idleHold,
  ]);
  assert.equal(state.connectRetryCounter, 1);
  const version = { type: 'notification', code: 2, subcode: 1, data: '0004' } as const;
  const versionError = step(stateIn('OpenSent'), { type: 'NotifMsgVerErr', notification: version }, config);
  assert.equal(versionError.state.connectRetryCounter, 0, 'a version error is not counted');
});

test('unexpected events: FSM Error, subcode 1 for a message (RFC 6608) and 0 for a timer', () => {
  const cases: [FsmEvent, number][] = [
    [{ type: 'KeepAliveMsg' }, 1],
    [{ type: 'UpdateMsg', update: { type: 'update', withdrawn: [], attributes: [], nlri: [] } }, 1],
    [
      {
        type: 'UpdateMsgErr',
        error: { action: 'treat-as-withdraw', code: 3, subcode: 6, reason: 'invalid-origin', data: '' },
      },
      1,
    ],
    [{ type: 'RouteRefreshMsg', message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } }, 1],
    [
      {
        type: 'RouteRefreshMsgErr',
        error: { action: 'session-reset', code: 7, subcode: 1, reason: 'bad-route-refresh-length', data: '' },
      },
      1,
    ],
    [{ type: 'ConnectRetryTimer_Expires' }, 0],
    [{ type: 'KeepaliveTimer_Expires' }, 0],
    [{ type: 'DelayOpenTimer_Expires' }, 0],
    [{ type: 'IdleHoldTimer_Expires' }, 0],
  ];
  for (const [event, subcode] of cases) {
    const { state, actions } = step(stateIn('OpenSent'), event, config);
    assert.deepEqual(actions, failure('fsm-error', { type: 'notification', code: 5, subcode, data: '' }), event.type);
    assert.equal(state.connectRetryCounter, 1);
  }
});
