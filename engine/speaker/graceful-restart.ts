/**
 * Graceful restart as the receiving speaker (RFC 4724 section 4.2) and long-lived graceful restart
 * (RFC 9494 section 4), for one peer. The RIB marks and sweeps; this owns the timers and decides:
 *
 * - The session goes while the peer announced graceful restart, and neither side sent a
 *   NOTIFICATION (RFC 8538 lets one through only with the N bit, and never Cease/9 Hard Reset):
 *   its paths of the families it listed stay, marked stale, and its restart timer starts.
 * - The session comes back: the restart timer stops. Families the new OPEN no longer lists, or
 *   lists without the F bit, lose their stale paths at once; the others wait for the peer's
 *   End-of-RIB, bounded by the stale-path timer.
 * - The restart timer fires (or graceful restart does not apply): with LLGR the paths stay for the
 *   long-lived stale time, least preferred and marked LLGR_STALE; otherwise they go.
 */
import type { Clock, TimerHandle } from '../session/clock.ts';
import type { SessionDown } from '../session/driver.ts';
import { CEASE, ERROR_CODE } from '../session/notifications.ts';
import type { NegotiatedSession } from '../session/types.ts';
import type { DestinationChange } from '../rib/destination.ts';
import type { Rib } from '../rib/rib.ts';
import type { Family } from '../wire/types.ts';


export interface GracefulRestartOptions {
  clock: Clock;
  rib: Rib;
  address: string;
  /** What our side announced: without it we help no one (the peer would not expect it). */
  gracefulRestart: boolean;
  /** Our long-lived stale time, 0 without LLGR; the peer's is capped to it. */
  llgrStaleTime: number;
  /** Seconds a returning peer has to send End-of-RIB. */
  stalePathTime: number;
  /** Loc-RIB changes made by a timer. */
  changed: (changes: DestinationChange[]) => void;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export type StaleState = 'none' | 'restarting' | 'returned' | 'long-lived';

export class GracefulRestartHelper {
  #state: StaleState = 'none';
  #restartTimer: TimerHandle | undefined;
  #stalePathTimer: TimerHandle | undefined;
  readonly #llgrTimers = new Map<Family, TimerHandle>();
  /** Families with stale paths that the returned peer has yet to end with End-of-RIB. */
  readonly #awaiting = new Set<Family>();
  /** The long-lived stale time per family, from the session that went. */
  #llgrTimes = new Map<Family, number>();

  constructor(readonly options: GracefulRestartOptions) {}

  get state(): StaleState {
    return this.#state;
  }

  /** The session ended: removes the peer from the RIB, keeping its paths stale where GR or LLGR applies. */
  sessionLost(session: NegotiatedSession, down: SessionDown): DestinationChange[] {
    const { rib, address } = this.options;
    this.#stopRestartTimers();
    this.#llgrTimes = this.#longLivedTimes(session);
    const families = this.#gracefulFamilies(session, down);
    if (families.length > 0) {
      const restartTime = session.peerGracefulRestart?.restartTime ?? 0;
      const changes = rib.removePeer(address, { stale: { mode: 'gr', families } });
      this.#state = 'restarting';
      this.options.log('graceful-restart', { peer: address, families, restartTime });
      this.#restartTimer = this.options.clock.setTimer('GR restart', restartTime, () => this.#restartExpired(), {
        keepsProcessAlive: true,
      });
      return changes;
    }
    const llgr = this.#notified(down) ? [] : [...this.#llgrTimes.keys()];
    if (llgr.length > 0) {
      const changes = rib.removePeer(address, { stale: { mode: 'llgr', families: llgr } });
      this.#startLongLived(llgr);
      return changes;
    }
    this.#state = 'none';
    return rib.removePeer(address);
  }

  /**
   * The peer is back (it has joined the RIB again). Families whose forwarding it did not keep, by
   * its new OPEN, lose their stale paths now (RFC 4724 section 4.2); the rest wait for End-of-RIB.
   */
  sessionUp(session: NegotiatedSession): DestinationChange[] {
    if (this.#state === 'none') return [];
    const { rib, address } = this.options;
    this.#stopRestartTimers();
    const kept = new Set(
      (session.peerGracefulRestart?.families ?? []).filter(({ forwarding }) => forwarding).map(({ family }) => family),
    );
    const stale = new Set(rib.adjRibIn(address).filter((route) => route.stale !== undefined).map(({ family }) => family));
    const changes: DestinationChange[] = [];
    for (const family of stale) {
      if (this.#state === 'restarting' && !kept.has(family)) changes.push(...rib.sweepStale(address, family));
      else this.#awaiting.add(family);
    }
    if (this.#awaiting.size === 0) {
      this.#state = 'none';
      return changes;
    }
    this.#state = 'returned';
    this.#stalePathTimer = this.options.clock.setTimer('GR stale path', this.options.stalePathTime, () => {
      this.#stalePathTimer = undefined;
      this.options.log('stale-path-timer', { peer: address, families: [...this.#awaiting] });
      this.#awaiting.clear();
      this.#state = 'none';
      this.options.changed(rib.sweepStale(address));
    });
    return changes;
  }

  /** The peer's End-of-RIB for a family (the RIB has swept its stale paths). */
  endOfRib(family: Family): void {
    if (!this.#awaiting.delete(family) || this.#awaiting.size > 0) return;
    this.#clear(this.#stalePathTimer);
    this.#stalePathTimer = undefined;
    this.#state = 'none';
  }

  /** The peer was removed or the speaker stops: no timer may fire. */
  dispose(): void {
    this.#stopRestartTimers();
    this.#clear(this.#stalePathTimer);
    this.#stalePathTimer = undefined;
    this.#awaiting.clear();
    this.#state = 'none';
  }

  #notified(down: SessionDown): boolean {
    return down.sent !== undefined || down.received !== undefined;
  }

  /** The families graceful restart keeps, or none when it does not apply to this end. */
  #gracefulFamilies(session: NegotiatedSession, down: SessionDown): Family[] {
    const peer = session.peerGracefulRestart;
    if (!this.options.gracefulRestart || peer === undefined) return [];
    const notification = down.sent ?? down.received;
    if (notification !== undefined) {
      // RFC 8538 section 3: with the N bit, a NOTIFICATION other than Hard Reset keeps the paths.
      const hardReset = notification.code === ERROR_CODE.cease && notification.subcode === CEASE.hardReset;
      if (!session.gracefulNotification || hardReset) return [];
    }
    // An administrative stop of ours is sent as Cease; a manual stop is never graceful.
    if (down.reason === 'manual-stop') return [];
    return peer.families.map(({ family }) => family).filter((family) => session.families.includes(family));
  }

  #longLivedTimes(session: NegotiatedSession): Map<Family, number> {
    const times = new Map<Family, number>();
    if (this.options.llgrStaleTime <= 0) return times;
    for (const { family, staleTime } of session.peerLongLivedGracefulRestart?.families ?? []) {
      const time = Math.min(staleTime, this.options.llgrStaleTime);
      if (time > 0 && session.families.includes(family)) times.set(family, time);
    }
    return times;
  }

  #restartExpired(): void {
    this.#restartTimer = undefined;
    const { rib, address } = this.options;
    const families = [...this.#llgrTimes.keys()];
    this.options.log('restart-timer-expired', { peer: address, longLived: families });
    if (families.length === 0) {
      this.#state = 'none';
      this.options.changed(rib.sweepStale(address));
      return;
    }
    // RFC 9494 section 4.2: the paths turn long-lived stale; NO_LLGR paths and other families go.
    this.options.changed(rib.markLongLivedStale(address, families));
    this.#startLongLived(families);
  }

  #startLongLived(families: Family[]): void {
    const { rib, address, clock } = this.options;
    this.#state = 'long-lived';
    this.options.log('long-lived-stale', { peer: address, families });
    for (const family of families) {
      const seconds = this.#llgrTimes.get(family) ?? 0;
      const timer = clock.setTimer('LLGR stale', seconds, () => {
        this.#llgrTimers.delete(family);
        if (this.#llgrTimers.size === 0 && this.#state === 'long-lived') this.#state = 'none';
        this.options.changed(rib.sweepStale(address, family));
      }, { keepsProcessAlive: true });
      this.#llgrTimers.set(family, timer);
    }
  }

  #stopRestartTimers(): void {
    this.#clear(this.#restartTimer);
    this.#restartTimer = undefined;
    for (const timer of this.#llgrTimers.values()) this.#clear(timer);
    this.#llgrTimers.clear();
  }

  #clear(timer: TimerHandle | undefined): void {
    if (timer !== undefined) this.options.clock.clear(timer);
  }
}
