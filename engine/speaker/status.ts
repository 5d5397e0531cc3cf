/**
 * A peer's figures as an operator reads them: its state and uptime, the routes it sent us (before
 * import policy), the ones we kept, what we advertise to it, and how its last session or attempt
 * ended.
 */
import type { SessionDown } from '../session/driver.ts';
import type { SessionState } from '../session/types.ts';
import type { Family, NotificationMessage, UpdateMessage } from '../wire/types.ts';
import { routeKey } from '../rib/loc-rib.ts';

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

/**
 * The routes a peer has announced, by family, prefix and path id, whatever the import policy made
 * of them: by family, each by the RIB's route key (`routeKey`), which for a unicast route without
 * a path id is its prefix text itself, so that counting it costs no string of its own.
 */
export class ReceivedRoutes {
  readonly #byFamily = new Map<Family, Set<string>>();

  get size(): number {
    let size = 0;
    for (const keys of this.#byFamily.values()) size += keys.size;
    return size;
  }

  apply(update: UpdateMessage): void {
    this.#withdraw('ipv4-unicast', update.withdrawn);
    this.#announce('ipv4-unicast', update.nlri);
    for (const attribute of update.attributes) {
      if (attribute.type === 'mp-unreach' && 'withdrawn' in attribute) this.#withdraw(attribute.family, attribute.withdrawn);
      else if (attribute.type === 'mp-reach' && 'nlri' in attribute) this.#announce(attribute.family, attribute.nlri);
    }
  }

  dropFamily(family: Family): void {
    this.#byFamily.delete(family);
  }

  clear(): void {
    this.#byFamily.clear();
  }

  #announce(family: Family, prefixes: UpdateMessage['nlri']): void {
    if (prefixes.length === 0) return;
    let keys = this.#byFamily.get(family);
    if (keys === undefined) this.#byFamily.set(family, (keys = new Set()));
    for (const { prefix, pathId } of prefixes) keys.add(routeKey(family, prefix, pathId ?? 0));
  }

  #withdraw(family: Family, prefixes: UpdateMessage['withdrawn']): void {
    const keys = this.#byFamily.get(family);
    if (keys !== undefined) for (const { prefix, pathId } of prefixes) keys.delete(routeKey(family, prefix, pathId ?? 0));
  }
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
