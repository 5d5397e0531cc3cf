/**
 * Connection collision (RFC 4271 section 6.8): two TCP connections between the same pair of
 * speakers, one initiated by each. When an OPEN arrives on one of them, the speaker decides which
 * connection lives; the other gets OpenCollisionDump, and so a Cease/7 (RFC 4486).
 */
import type { NotificationMessage } from '../wire/types.ts';
import { collisionResolution } from './notifications.ts';
import type { SessionState } from './types.ts';

/** One of the two connections, from the local speaker's side. */
export interface CollidingConnection {
  state: SessionState;
  /** Who sent the first SYN: we (`local`) or the peer (`remote`). */
  initiator: 'local' | 'remote';
}

export interface CollisionInput {
  /** The connection the OPEN just arrived on. */
  arriving: CollidingConnection;
  /** The other connection to the same peer. */
  existing: CollidingConnection;
  localId: string;
  /** The BGP Identifier in the OPEN that arrived. */
  remoteId: string;
  localAs: number;
  remoteAs: number;
  /** CollisionDetectEstablishedState (RFC 4271 section 8.1.1). */
  collisionDetectEstablishedState: boolean;
}

export type CollisionDecision =
  /** No collision to resolve: the OPEN is processed as usual. */
  | { collision: false }
  | {
      collision: true;
      /** The connection that lives on; the other one closes with `notification`. */
      keep: 'arriving' | 'existing';
      close: 'arriving' | 'existing';
      notification: NotificationMessage;
    };

/** A dotted-quad BGP Identifier as the unsigned 32-bit integer it compares as (RFC 4271 section 6.8, step 1). */
export function identifierValue(id: string): number {
  return id.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/**
 * The initiator whose connection survives: the speaker with the higher BGP Identifier (RFC 4271
 * section 6.8); with equal identifiers, the one with the larger AS number (RFC 6286 section 2.3).
 */
function survivingInitiator(localId: string, remoteId: string, localAs: number, remoteAs: number): 'local' | 'remote' {
  const local = identifierValue(localId);
  const remote = identifierValue(remoteId);
  if (local !== remote) return local > remote ? 'local' : 'remote';
  return localAs > remoteAs ? 'local' : 'remote';
}

function closing(keep: 'arriving' | 'existing'): CollisionDecision {
  return {
    collision: true,
    keep,
    close: keep === 'arriving' ? 'existing' : 'arriving',
    notification: collisionResolution(),
  };
}

export function resolveCollision(input: CollisionInput): CollisionDecision {
  const { arriving, existing } = input;
  // Only connections whose peer has been identified can collide: the existing one must have
  // received an OPEN itself (section 6.8, "connections that are in the OpenConfirm state"); Idle,
  // Connect and Active cannot collide, nor can OpenSent, where the peer's identifier is unknown.
  if (existing.state === 'Established') {
    // Section 6.8: unless configured otherwise, the Established session stays.
    if (!input.collisionDetectEstablishedState) return closing('existing');
  } else if (existing.state !== 'OpenConfirm') {
    return { collision: false };
  }
  // Two connections, one per initiator; the same initiator on both is no collision.
  if (arriving.initiator === existing.initiator) return { collision: false };
  const survivor = survivingInitiator(input.localId, input.remoteId, input.localAs, input.remoteAs);
  return closing(arriving.initiator === survivor ? 'arriving' : 'existing');
}
