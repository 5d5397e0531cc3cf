/** RFC 4271 section 8.2.2, Established state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UpdateMessage, WireError } from '../wire/types.ts';
import type { FsmEvent } from './events.ts';
import { step } from './fsm.ts';
import { peerOpen, stateIn, testConfig } from './testing.ts';
import type { Action, FsmState } from './types.ts';

const config = testConfig();
const idleHold: Action = { type: 'start-timer', timer: 'IdleHoldTimer', seconds: 5 };
const running: Action[] = [
  { type: 'stop-timer', timer: 'HoldTimer' },
  { type: 'stop-timer', timer: 'KeepaliveTimer' },
  { type: 'stop-timer', timer: 'DampingResetTimer' },
];
const holdRestart: Action = { type: 'start-timer', timer: 'HoldTimer', seconds: 90 };

const update: UpdateMessage = {
  type: 'update',
  withdrawn: [],
  attributes: [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', segments: [{ type: 'sequence', asns: [65002] }] },
    { type: 'next-hop', value: '192.0.2.2' },
  ],
  nlri: [{ prefix: '198.51.100.0/24' }],
};

function failure(reason: string, sent: object): Action[] {
  return [
    { type: 'send', message: sent },
    ...running,
    { type: 'drop-connection' },
    { type: 'session-down', reason, wasEstablished: true, sent },
    idleHold,
  ] as Action[];
}

/** Established with a peer that also speaks enhanced route refresh and IPv6 unicast. */
function refreshing(): FsmState {
  const local = testConfig({ families: ['ipv4-unicast', 'ipv6-unicast'] });
  const open = peerOpen();
  open.capabilities.push({ type: 'enhanced-route-refresh' }, { type: 'multiprotocol', family: 'ipv6-unicast' });
  return stateIn('Established', local, open);
}

test('KEEPALIVE and UPDATE restart the HoldTimer; an UPDATE goes to the RIB', () => {
  const state = stateIn('Established');
  assert.deepEqual(step(state, { type: 'KeepAliveMsg' }, config), { state, actions: [holdRestart] });
  assert.deepEqual(step(state, { type: 'UpdateMsg', update }, config), {
    state,
    actions: [{ type: 'deliver-update', update }, holdRestart],
  });
});

test('keepalive scheduling: KeepaliveTimer_Expires sends one and restarts the timer, so does an UPDATE sent', () => {
  const state = stateIn('Established');
  assert.deepEqual(step(state, { type: 'KeepaliveTimer_Expires' }, config).actions, [
    { type: 'send', message: { type: 'keepalive' } },
    { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 30 },
  ]);
  assert.deepEqual(step(state, { type: 'KeepaliveTimer_Expires', random: 0.5 }, config).actions[1], {
    type: 'start-timer',
    timer: 'KeepaliveTimer',
    seconds: 26.25,
  });
  assert.deepEqual(step(state, { type: 'UpdateSent' }, config).actions, [
    { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 30 },
  ]);
});

test('a zero hold time: no HoldTimer restarts, no KeepaliveTimer (RFC 4271 section 4.4)', () => {
  const state = stateIn('Established', config, peerOpen({ holdTime: 0 }));
  assert.deepEqual(step(state, { type: 'KeepAliveMsg' }, config).actions, []);
  assert.deepEqual(step(state, { type: 'UpdateMsg', update }, config).actions, [{ type: 'deliver-update', update }]);
  assert.deepEqual(step(state, { type: 'UpdateSent' }, config).actions, []);
  assert.deepEqual(step(state, { type: 'KeepaliveTimer_Expires' }, config).actions, [
    { type: 'send', message: { type: 'keepalive' } },
  ]);
  const down = step(state, { type: 'TcpConnectionFails' }, config);
  assert.deepEqual(down.actions[0], { type: 'stop-timer', timer: 'DampingResetTimer' });
});

test('UPDATE errors by RFC 7606 action', () => {
  const state = stateIn('Established');
  const error = (action: WireError['action'], code = 3, subcode = 1): WireError => ({
    action,
    code,
    subcode,
    reason: 'test',
    data: 'c0',
  });

  const reset = step(state, { type: 'UpdateMsgErr', error: error('session-reset', 3, 10) }, config);
  assert.deepEqual(reset.actions, failure('message-error', { type: 'notification', code: 3, subcode: 10, data: 'c0' }));
  assert.equal(reset.state.name, 'Idle');

  for (const action of ['treat-as-withdraw', 'attribute-discard'] as const) {
    const kept = step(state, { type: 'UpdateMsgErr', error: error(action), update }, config);
    assert.deepEqual(
      kept,
      { state, actions: [{ type: 'deliver-update', update, error: error(action) }, holdRestart] },
      action,
    );
  }

  const disabling = { ...error('afi-safi-disable', 3, 9), family: 'ipv6-unicast' };
  const disabled = step(state, { type: 'UpdateMsgErr', error: disabling, update }, config);
  assert.deepEqual(disabled.actions, [
    { type: 'deliver-update', update, error: disabling },
    { type: 'disable-family', family: 'ipv6-unicast' },
    holdRestart,
  ]);
  assert.deepEqual(disabled.state.disabledFamilies, ['ipv6-unicast']);
  assert.equal(disabled.state.name, 'Established');
  const again = step(disabled.state, { type: 'UpdateMsgErr', error: disabling, update }, config);
  assert.deepEqual(again.actions, [{ type: 'deliver-update', update, error: disabling }, holdRestart], 'disabled once');
});

test('ROUTE-REFRESH received: delivered when negotiated, ignored otherwise; the HoldTimer restarts', () => {
  const state = refreshing();
  const refresh = (family: string, subtype: number) => ({ type: 'route-refresh', family, subtype }) as const;
  const cases: [ReturnType<typeof refresh>, boolean][] = [
    [refresh('ipv4-unicast', 0), true],
    [refresh('ipv6-unicast', 0), true],
    [refresh('ipv4-unicast', 1), true],
    [refresh('ipv4-unicast', 2), true],
    [refresh('l2vpn-evpn', 0), false],
    [refresh('ipv4-unicast', 3), false],
  ];
  for (const [message, delivered] of cases) {
    const { actions } = step(state, { type: 'RouteRefreshMsg', message }, config);
    const expected: Action[] = delivered ? [{ type: 'deliver-route-refresh', message }, holdRestart] : [holdRestart];
    assert.deepEqual(actions, expected, `${message.family} ${message.subtype}`);
  }
  const plain = stateIn('Established');
  const borr = step(plain, { type: 'RouteRefreshMsg', message: refresh('ipv4-unicast', 1) }, config);
  assert.deepEqual(borr.actions, [holdRestart], 'BoRR without enhanced route refresh');
});

test('SendRouteRefresh: sent only for what was negotiated', () => {
  const state = refreshing();
  const sent = step(state, { type: 'SendRouteRefresh', family: 'ipv6-unicast', subtype: 0 }, config);
  assert.deepEqual(sent.actions, [
    { type: 'send', message: { type: 'route-refresh', family: 'ipv6-unicast', subtype: 0 } },
  ]);
  assert.deepEqual(
    step(state, { type: 'SendRouteRefresh', family: 'ipv4-unicast', subtype: 2 }, config).actions.length,
    1,
  );
  assert.deepEqual(step(state, { type: 'SendRouteRefresh', family: 'ipv4-vpn', subtype: 0 }, config).actions, []);
  const plain = stateIn('Established');
  assert.deepEqual(step(plain, { type: 'SendRouteRefresh', family: 'ipv4-unicast', subtype: 1 }, config).actions, []);
  const noRefresh = testConfig({ routeRefresh: false });
  const none = stateIn('Established', noRefresh);
  assert.deepEqual(step(none, { type: 'SendRouteRefresh', family: 'ipv4-unicast', subtype: 0 }, noRefresh).actions, []);
});

test('a disabled family is neither refreshed nor asked for', () => {
  const disabled = { ...refreshing(), disabledFamilies: ['ipv6-unicast'] };
  const message = { type: 'route-refresh', family: 'ipv6-unicast', subtype: 0 } as const;
  assert.deepEqual(step(disabled, { type: 'RouteRefreshMsg', message }, config).actions, [holdRestart]);
  assert.deepEqual(
    step(disabled, { type: 'SendRouteRefresh', family: 'ipv6-unicast', subtype: 0 }, config).actions,
    [],
  );
});

test('ManualStop: Cease/2 with the shutdown message, routes deleted, counter reset, no restart', () => {
  const { state, actions } = step(
    { ...stateIn('Established'), connectRetryCounter: 2 },
    { type: 'ManualStop', shutdownMessage: 'upgrade' },
    config,
  );
  const sent = { type: 'notification', code: 6, subcode: 2, data: '', shutdownMessage: 'upgrade' };
  assert.deepEqual(actions, failure('manual-stop', sent).slice(0, 6));
  assert.deepEqual(
    [state.name, state.connectRetryCounter, state.enabled, state.session],
    ['Idle', 0, false, undefined],
  );
});

test('AutomaticStop for too many prefixes: Cease/1, restart scheduled', () => {
  const cease = { subcode: 1, data: '00010100000064' };
  const { state, actions } = step(stateIn('Established'), { type: 'AutomaticStop', cease }, config);
  assert.deepEqual(
    actions,
    failure('automatic-stop', { type: 'notification', code: 6, subcode: 1, data: '00010100000064' }),
  );
  assert.equal(state.connectRetryCounter, 1);
});

test('HoldTimer_Expires: 4/0', () => {
  const { actions } = step(stateIn('Established'), { type: 'HoldTimer_Expires' }, config);
  assert.deepEqual(actions, failure('hold-timer-expired', { type: 'notification', code: 4, subcode: 0, data: '' }));
});

test('NOTIFICATION received or connection lost: Idle, routes deleted, nothing sent', () => {
  const received = { type: 'notification', code: 6, subcode: 2, data: '04626965', shutdownMessage: 'bye' } as const;
  const version = { type: 'notification', code: 2, subcode: 1, data: '' } as const;
  const cases: [FsmEvent, Action][] = [
    [
      { type: 'NotifMsg', notification: received },
      { type: 'session-down', reason: 'notification-received', wasEstablished: true, received },
    ],
    [
      { type: 'NotifMsgVerErr', notification: version },
      { type: 'session-down', reason: 'notification-received', wasEstablished: true, received: version },
    ],
    [{ type: 'TcpConnectionFails' }, { type: 'session-down', reason: 'connection-failed', wasEstablished: true }],
  ];
  for (const [event, down] of cases) {
    const { state, actions } = step(stateIn('Established'), event, config);
    assert.deepEqual(actions, [...running, { type: 'drop-connection' }, down, idleHold], event.type);
    assert.deepEqual([state.name, state.connectRetryCounter], ['Idle', 1], event.type);
  }
});

test('OpenCollisionDump (CollisionDetectEstablishedState): Cease/7, no restart', () => {
  const { state, actions } = step(stateIn('Established'), { type: 'OpenCollisionDump' }, config);
  assert.deepEqual(actions, failure('collision', { type: 'notification', code: 6, subcode: 7, data: '' }).slice(0, 6));
  assert.equal(state.idleHoldRunning, false);
});

test('errors and unexpected events', () => {
  const cases: [FsmEvent, string, object][] = [
    [{ type: 'BGPOpen', open: peerOpen() }, 'fsm-error', { code: 5, subcode: 3, data: '' }],
    [
      { type: 'BGPOpenMsgErr', error: { action: 'session-reset', code: 2, subcode: 4, reason: 'x', data: '' } },
      'fsm-error',
      { code: 5, subcode: 3, data: '' },
    ],
    [
      { type: 'BGPHeaderErr', error: { action: 'session-reset', code: 1, subcode: 2, reason: 'x', data: '0013' } },
      'message-error',
      { code: 1, subcode: 2, data: '0013' },
    ],
    [
      { type: 'RouteRefreshMsgErr', error: { action: 'session-reset', code: 7, subcode: 1, reason: 'x', data: 'ff' } },
      'message-error',
      { code: 7, subcode: 1, data: 'ff' },
    ],
    [{ type: 'ConnectRetryTimer_Expires' }, 'fsm-error', { code: 5, subcode: 0, data: '' }],
    [{ type: 'DelayOpenTimer_Expires' }, 'fsm-error', { code: 5, subcode: 0, data: '' }],
    [{ type: 'IdleHoldTimer_Expires' }, 'fsm-error', { code: 5, subcode: 0, data: '' }],
  ];
  for (const [event, reason, fields] of cases) {
    const { state, actions } = step(stateIn('Established'), event, config);
    assert.deepEqual(actions, failure(reason, { type: 'notification', ...fields }), event.type);
    assert.equal(state.name, 'Idle');
  }
});

test('DampingResetTimer_Expires: a stable session forgets its past failures', () => {
  const flapped = { ...stateIn('Established'), dampingLevel: 4 };
  assert.deepEqual(step(flapped, { type: 'DampingResetTimer_Expires' }, config), {
    state: { ...flapped, dampingLevel: 0 },
    actions: [],
  });
});

test('start events and a second connection change nothing', () => {
  const state = stateIn('Established');
  for (const type of [
    'ManualStart',
    'AutomaticStart_with_PassiveTcpEstablishment',
    'Tcp_CR_Acked',
    'TcpConnectionConfirmed',
  ] as const) {
    assert.deepEqual(step(state, { type }, config), { state, actions: [] }, type);
  }
});
