/**
 * A peer's figures as an operator reads them: its state and uptime, the routes it sent us (before
 * import policy), the ones we kept, what we advertise to it, and how its last session or attempt
 * ended.
 */
import type { SessionDown } from '../session/driver.ts';
import type { SessionState } from '../session/types.ts';
import type { Family, NotificationMessage, UpdateMessage } from '../wire/types.ts';

export interface PeerStatus {
  address: string;
  asn: number;
  description: string | null;
  state: SessionState;
  /** Administratively disabled (`peer-disable`). */
  enabled: boolean;
  /** Seconds Established, null when not. */
  uptime: number | null;
  /** Routes the peer has announced and not withdrawn, before import policy. */
  received: number;
  /** Routes kept in its Adj-RIB-In (stale ones included). */
  accepted: number;
  /** Routes in its Adj-RIB-Out. */
  advertised: number;
  lastError: string | null;
  /** Families negotiated on the session, or configured while it is down. */
  families: Family[];
  /** ADD-PATH as negotiated, per family. */
  addPath: Record<Family, 'send' | 'receive' | 'both'>;
  /** Graceful restart of the peer we are helping through: restarting, returned, long-lived, or none. */
  gracefulRestart: string;
}

/** The routes a peer has announced, by family, prefix and path id, whatever the import policy made of them. */
export class ReceivedRoutes {
  readonly #keys = new Set<string>();

  get size(): number {
    return this.#keys.size;
  }

  apply(update: UpdateMessage): void {
    for (const { prefix, pathId } of update.withdrawn) this.#keys.delete(key('ipv4-unicast', prefix, pathId));
    for (const { prefix, pathId } of update.nlri) this.#keys.add(key('ipv4-unicast', prefix, pathId));
    for (const attribute of update.attributes) {
      if (attribute.type === 'mp-unreach' && 'withdrawn' in attribute) {
        for (const { prefix, pathId } of attribute.withdrawn) this.#keys.delete(key(attribute.family, prefix, pathId));
      } else if (attribute.type === 'mp-reach' && 'nlri' in attribute) {
        for (const { prefix, pathId } of attribute.nlri) this.#keys.add(key(attribute.family, prefix, pathId));
      }
    }
  }

  dropFamily(family: Family): void {
    const start = `${family} `;
    for (const entry of this.#keys) if (entry.startsWith(start)) this.#keys.delete(entry);
  }

  clear(): void {
    this.#keys.clear();
  }
}

function key(family: Family, prefix: string, pathId = 0): string {
  return `${family} ${prefix} ${pathId}`;
}

function describeNotification(direction: string, notification: NotificationMessage): string {
  const message = notification.shutdownMessage !== undefined ? ` "${notification.shutdownMessage}"` : '';
  return `${direction} NOTIFICATION ${notification.code}/${notification.subcode}${message}`;
}

/** How a session or attempt ended, in one line. */
export function describeDown(down: SessionDown): string {
  if (down.received !== undefined) return `${down.reason}: ${describeNotification('received', down.received)}`;
  if (down.sent !== undefined) return `${down.reason}: ${describeNotification('sent', down.sent)}`;
  return down.reason;
}
