/**
 * One node's entry in `BgpPeer.status.nodesPeerStatus`, as OpenELB reports it: the session state
 * in GoBGP's names, the peer's identity, when the session came up (RFC 3339), prefix counts and
 * why it last failed. A peer whose settings cannot be used has no session: it reads IDLE with the
 * reason as its last error.
 */
import type { PeerStatus } from '../../engine/speaker/status.ts';
import type { SessionState } from '../../engine/session/types.ts';
import type { NodePeerStatus } from '../api/types.ts';

/** GoBGP's `SessionState` names, which OpenELB writes into status. */
const STATE_NAMES: Readonly<Record<SessionState, string>> = {
  Idle: 'IDLE',
  Connect: 'CONNECT',
  Active: 'ACTIVE',
  OpenSent: 'OPENSENT',
  OpenConfirm: 'OPENCONFIRM',
  Established: 'ESTABLISHED',
};

/** The engine's session state in GoBGP's words. */
export function sessionStateName(state: SessionState): string {
  return STATE_NAMES[state];
}

/** What the node speaker knows of one BgpPeer on this node. */
export interface PeerStatusInput {
  neighborAddress: string;
  peerAs: number;
  localAs?: number;
  description?: string;
  adminDown: boolean;
  /** The engine's view, absent when the peer has no session (its settings were refused). */
  engine?: PeerStatus;
  /** The peer's BGP identifier, from its last OPEN. */
  peerRouterId?: string;
  /** Wall-clock milliseconds the session came up / last went down. */
  upSince?: number;
  downSince?: number;
  /** Times an Established session went down. */
  flops: number;
  /** Why the settings were refused; wins over the engine's last error. */
  error?: string;
}

/** The status entry; fields without a value are left out rather than written empty. */
export function nodePeerStatus(input: PeerStatusInput): NodePeerStatus {
  const engine = input.engine;
  const state = engine?.state ?? 'Idle';
  const status: NodePeerStatus = {
    peerState: {
      sessionState: sessionStateName(state),
      neighborAddress: input.neighborAddress,
      peerAs: input.peerAs,
      adminDown: input.adminDown,
      adminState: input.adminDown ? 'DOWN' : 'UP',
      flops: input.flops,
    },
  };
  if (input.localAs !== undefined) status.peerState.localAs = input.localAs;
  if (input.description !== undefined) status.peerState.description = input.description;
  if (input.peerRouterId !== undefined) status.peerState.routerId = input.peerRouterId;
  const timers: NonNullable<NodePeerStatus['timersState']> = {};
  if (state === 'Established' && input.upSince !== undefined) timers.uptime = new Date(input.upSince).toISOString();
  if (input.downSince !== undefined) timers.downtime = new Date(input.downSince).toISOString();
  if (Object.keys(timers).length > 0) status.timersState = timers;
  if (engine !== undefined) {
    status.prefixesReceived = engine.received;
    status.prefixesAdvertised = engine.advertised;
  }
  const lastError = input.error ?? engine?.lastError ?? undefined;
  if (lastError !== undefined) status.lastError = lastError;
  return status;
}
