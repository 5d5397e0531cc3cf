/** Whole event sequences: establishment, failures and their backoff, collisions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCollision } from './collision.ts';
import type { FsmEvent } from './events.ts';
import { initialState, step } from './fsm.ts';
import { negotiate } from './negotiate.ts';
import { buildOpen } from './open.ts';
import { actionTypes, PEER_ID, peerOpen, run, testConfig } from './testing.ts';
import type { Action, FsmState, SessionConfig } from './types.ts';

const config = testConfig();
const keepalive: Action = { type: 'send', message: { type: 'keepalive' } };

test('active establishment, step by step', () => {
  const open = peerOpen();
  const { state, steps } = run(config, [
    { type: 'ManualStart' },
    { type: 'Tcp_CR_Acked' },
    { type: 'BGPOpen', open },
    { type: 'KeepAliveMsg' },
  ]);
  const session = negotiate(buildOpen(config), open);
  assert.deepEqual(steps, [
    [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }, { type: 'connect' }],
    [
      { type: 'stop-timer', timer: 'ConnectRetryTimer' },
      { type: 'send', message: buildOpen(config) },
      { type: 'start-timer', timer: 'HoldTimer', seconds: 240 },
    ],
    [
      keepalive,
      { type: 'start-timer', timer: 'KeepaliveTimer', seconds: 30 },
      { type: 'start-timer', timer: 'HoldTimer', seconds: 90 },
    ],
    [
      { type: 'start-timer', timer: 'HoldTimer', seconds: 90 },
      { type: 'start-timer', timer: 'DampingResetTimer', seconds: 300 },
      { type: 'established', session },
    ],
  ]);
  assert.equal(state.name, 'Established');
});

test('passive establishment: the peer connects to us', () => {
  const passive = testConfig({ passive: true });
  const { state, steps } = run(passive, [
    { type: 'ManualStart' },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'TcpConnectionConfirmed' },
    { type: 'BGPOpen', open: peerOpen() },
    { type: 'KeepAliveMsg' },
  ]);
  assert.deepEqual(steps.map(actionTypes), [
    ['start-timer'],
    ['start-timer'],
    ['stop-timer', 'send open', 'start-timer'],
    ['send keepalive', 'start-timer', 'start-timer'],
    ['start-timer', 'start-timer', 'established'],
  ]);
  assert.ok(
    steps.flat().every((action) => action.type !== 'connect'),
    'never connects',
  );
  assert.equal(state.name, 'Established');
});

test('DelayOpen establishment: the peer speaks first', () => {
  const delayed = testConfig({ delayOpenTime: 5 });
  const { state, steps } = run(delayed, [
    { type: 'ManualStart' },
    { type: 'Tcp_CR_Acked' },
    { type: 'BGPOpen', open: peerOpen() },
    { type: 'KeepAliveMsg' },
  ]);
  assert.deepEqual(steps.map(actionTypes), [
    ['start-timer', 'connect'],
    ['stop-timer', 'start-timer'],
    ['stop-timer', 'send open', 'send keepalive', 'start-timer', 'start-timer'],
    ['start-timer', 'start-timer', 'established'],
  ]);
  assert.equal(state.name, 'Established');
});

/** The seconds of the timer started by these actions. */
function timerSeconds(actions: Action[], timer: string): number | undefined {
  const found = actions.find((action) => action.type === 'start-timer' && action.timer === timer);
  return found?.type === 'start-timer' ? found.seconds : undefined;
}

test('ConnectRetry backoff: attempts double until the cap, whatever ends them', () => {
  const events: FsmEvent[] = [
    { type: 'ManualStart' },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'Tcp_CR_Acked' },
    { type: 'TcpConnectionFails' },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'ConnectRetryTimer_Expires' },
  ];
  const { state, steps } = run(config, events);
  assert.deepEqual(
    steps.map((actions) => timerSeconds(actions, 'ConnectRetryTimer')),
    [5, 10, undefined, 20, 40, 80, 120],
  );
  assert.equal(state.name, 'Connect');
  const restarted = step(state, { type: 'ManualStop' }, config).state;
  assert.equal(
    timerSeconds(step(restarted, { type: 'ManualStart' }, config).actions, 'ConnectRetryTimer'),
    5,
    'a start resets it',
  );
});

test('peer oscillation damping: each failure doubles the IdleHoldTimer; a stable session resets it', () => {
  let state: FsmState = initialState();
  const holds: (number | undefined)[] = [];
  const flap: FsmEvent[] = [
    { type: 'Tcp_CR_Acked' },
    { type: 'BGPOpen', open: peerOpen() },
    { type: 'KeepAliveMsg' },
    { type: 'HoldTimer_Expires' },
  ];
  state = run(config, [{ type: 'ManualStart' }], state).state;
  for (let i = 0; i < 8; i++) {
    const result = run(config, flap, state);
    holds.push(timerSeconds(result.steps[3], 'IdleHoldTimer'));
    assert.equal(result.state.name, 'Idle');
    state = run(config, [{ type: 'IdleHoldTimer_Expires' }], result.state).state;
    assert.equal(state.name, 'Connect');
  }
  assert.deepEqual(holds, [5, 10, 20, 40, 80, 160, 300, 300]);
  assert.equal(state.connectRetryCounter, 8);

  const stable = run(
    config,
    [...flap.slice(0, 3), { type: 'DampingResetTimer_Expires' }, { type: 'HoldTimer_Expires' }],
    state,
  );
  assert.equal(timerSeconds(stable.steps[4], 'IdleHoldTimer'), 5);
});

test('without DampPeerOscillations the IdleHoldTimer stays at its base; without automatic restart there is none', () => {
  const undamped = testConfig({ dampPeerOscillations: false });
  let state = run(undamped, [{ type: 'ManualStart' }]).state;
  for (let i = 0; i < 3; i++) {
    const failed = step(state, { type: 'TcpConnectionFails' }, undamped);
    assert.equal(timerSeconds(failed.actions, 'IdleHoldTimer'), 5);
    state = step(failed.state, { type: 'IdleHoldTimer_Expires' }, undamped).state;
  }
  const manual = testConfig({ automaticRestart: false });
  const failed = run(manual, [{ type: 'ManualStart' }, { type: 'TcpConnectionFails' }]);
  assert.deepEqual(actionTypes(failed.steps[1]), ['stop-timer', 'drop-connection', 'session-down']);
  assert.equal(failed.state.idleHoldRunning, false);
});

test('ManualStop while a restart is pending keeps the peering down', () => {
  const { state, steps } = run(config, [
    { type: 'ManualStart' },
    { type: 'TcpConnectionFails' },
    { type: 'ManualStop' },
    { type: 'IdleHoldTimer_Expires' },
  ]);
  assert.deepEqual(steps[2], [{ type: 'stop-timer', timer: 'IdleHoldTimer' }]);
  assert.deepEqual(steps[3], []);
  assert.equal(state.name, 'Idle');
});

/** Drives both FSMs of one peer through a collision; returns the survivor's final state and each side's actions. */
function collide(local: SessionConfig) {
  const open = peerOpen();
  // Our connection: we connect, it succeeds, our OPEN goes out.
  let outgoing = run(local, [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked' }]).state;
  // The peer's connection arrives meanwhile: a second FSM, passive, for that connection.
  let incoming = run(local, [
    { type: 'ManualStart_with_PassiveTcpEstablishment' },
    { type: 'TcpConnectionConfirmed' },
  ]).state;
  assert.deepEqual([outgoing.name, incoming.name], ['OpenSent', 'OpenSent']);

  // The peer's OPEN on our connection first: the other one is in OpenSent, no collision yet.
  const first = resolveCollision({
    arriving: { state: outgoing.name, initiator: 'local' },
    existing: { state: incoming.name, initiator: 'remote' },
    localId: local.routerId,
    remoteId: open.bgpId,
    localAs: local.localAs,
    remoteAs: open.myAs,
    collisionDetectEstablishedState: local.collisionDetectEstablishedState,
  });
  assert.deepEqual(first, { collision: false });
  outgoing = step(outgoing, { type: 'BGPOpen', open }, local).state;
  assert.equal(outgoing.name, 'OpenConfirm');

  // Then on the peer's connection: now one is in OpenConfirm, and one must go.
  const decision = resolveCollision({
    arriving: { state: incoming.name, initiator: 'remote' },
    existing: { state: outgoing.name, initiator: 'local' },
    localId: local.routerId,
    remoteId: open.bgpId,
    localAs: local.localAs,
    remoteAs: open.myAs,
    collisionDetectEstablishedState: local.collisionDetectEstablishedState,
  });
  assert.equal(decision.collision, true);
  if (!decision.collision) throw new Error('unreachable');
  const loser = decision.close === 'arriving' ? incoming : outgoing;
  const dumped = step(loser, { type: 'OpenCollisionDump' }, local);
  if (decision.keep === 'arriving') incoming = step(incoming, { type: 'BGPOpen', open }, local).state;
  const survivor = decision.keep === 'arriving' ? incoming : outgoing;
  const established = step(survivor, { type: 'KeepAliveMsg' }, local);
  return { decision, dumped, established };
}

test("collision, our identifier higher: our connection stays, the peer's gets Cease/7", () => {
  const { decision, dumped, established } = collide(testConfig({ routerId: '192.0.2.200' }));
  assert.ok(decision.collision);
  assert.equal(decision.keep, 'existing');
  assert.deepEqual(dumped.actions[0], {
    type: 'send',
    message: { type: 'notification', code: 6, subcode: 7, data: '' },
  });
  assert.deepEqual([dumped.state.name, dumped.state.idleHoldRunning], ['Idle', false]);
  assert.equal(established.state.name, 'Established');
  assert.equal(established.state.session?.peerId, PEER_ID);
});

test("collision, the peer's identifier higher: its connection stays, ours gets Cease/7", () => {
  const { decision, dumped, established } = collide(testConfig({ routerId: '192.0.2.1' }));
  assert.ok(decision.collision);
  assert.equal(decision.keep, 'arriving');
  assert.deepEqual(actionTypes(dumped.actions), [
    'send notification',
    'stop-timer',
    'stop-timer',
    'drop-connection',
    'session-down',
  ]);
  assert.equal(established.state.name, 'Established');
});

test('a 2-octet peer establishes with 2-octet AS_PATHs both ways', () => {
  const old = { ...peerOpen(), capabilities: [] };
  const { state } = run(config, [
    { type: 'ManualStart' },
    { type: 'Tcp_CR_Acked' },
    { type: 'BGPOpen', open: old },
    { type: 'KeepAliveMsg' },
  ]);
  assert.equal(state.name, 'Established');
  assert.deepEqual(state.session?.decode, { fourOctetAs: false, addPath: [], extendedMessage: false });
  assert.deepEqual(state.session?.families, ['ipv4-unicast']);
});

test('too many prefixes: Cease/1, then an automatic restart after the IdleHoldTimer', () => {
  const { state, steps } = run(config, [
    { type: 'ManualStart' },
    { type: 'Tcp_CR_Acked' },
    { type: 'BGPOpen', open: peerOpen() },
    { type: 'KeepAliveMsg' },
    { type: 'AutomaticStop', cease: { subcode: 1 } },
    { type: 'IdleHoldTimer_Expires' },
  ]);
  assert.deepEqual(steps[4][0], { type: 'send', message: { type: 'notification', code: 6, subcode: 1, data: '' } });
  assert.deepEqual(steps[5], [{ type: 'start-timer', timer: 'ConnectRetryTimer', seconds: 5 }, { type: 'connect' }]);
  assert.equal(state.name, 'Connect');
});
