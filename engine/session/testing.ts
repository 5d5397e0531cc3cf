/**
 * Fixtures for the session tests: a peering, the peer's OPEN, and event sequences that bring an
 * FSM into each state.
 */
import type { Capability, OpenMessage } from '../wire/types.ts';
import { sessionConfig, type SessionConfigInput } from './config.ts';
import type { FsmEvent } from './events.ts';
import { initialState, step } from './fsm.ts';
import type { Action, FsmState, SessionConfig, SessionState } from './types.ts';

export const LOCAL_ID = '192.0.2.1';
export const PEER_ID = '192.0.2.2';

/** An eBGP peering: AS 65001 (us) to AS 65002, the defaults otherwise. */
export function testConfig(overrides: Partial<SessionConfigInput> = {}): SessionConfig {
  return sessionConfig({ localAs: 65001, routerId: LOCAL_ID, peerAs: 65002, ...overrides });
}

/** The peer's OPEN: AS 65002, hold time 90, IPv4 unicast, route refresh, 4-octet AS. */
export function peerOpen(overrides: Partial<OpenMessage> = {}): OpenMessage {
  const capabilities: Capability[] = [
    { type: 'multiprotocol', family: 'ipv4-unicast' },
    { type: 'route-refresh' },
    { type: 'four-octet-as', asn: overrides.myAs ?? 65002 },
  ];
  return { type: 'open', version: 4, myAs: 65002, holdTime: 90, bgpId: PEER_ID, capabilities, ...overrides };
}

export interface Run {
  state: FsmState;
  /** Actions of each step, in order. */
  steps: Action[][];
}

/** Feeds events one by one from `state`. */
export function run(config: SessionConfig, events: FsmEvent[], state: FsmState = initialState()): Run {
  const steps: Action[][] = [];
  for (const event of events) {
    const result = step(state, event, config);
    steps.push(result.actions);
    state = result.state;
  }
  return { state, steps };
}

/** The events that bring a fresh FSM into `target` along the usual active path. */
export function pathTo(target: SessionState, open: OpenMessage = peerOpen()): FsmEvent[] {
  const paths: Record<SessionState, FsmEvent[]> = {
    Idle: [],
    Connect: [{ type: 'ManualStart' }],
    Active: [{ type: 'ManualStart_with_PassiveTcpEstablishment' }],
    OpenSent: [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked' }],
    OpenConfirm: [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked' }, { type: 'BGPOpen', open }],
    Established: [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked' },
      { type: 'BGPOpen', open },
      { type: 'KeepAliveMsg' },
    ],
  };
  return paths[target];
}

/** A fresh FSM brought into `target` (checked). */
export function stateIn(target: SessionState, config: SessionConfig = testConfig(), open?: OpenMessage): FsmState {
  const { state } = run(config, pathTo(target, open));
  if (state.name !== target) throw new Error(`expected ${target}, reached ${state.name}`);
  return state;
}

/** The types of actions, for short comparisons. */
export function actionTypes(actions: Action[]): string[] {
  return actions.map((action) => (action.type === 'send' ? `send ${action.message.type}` : action.type));
}
