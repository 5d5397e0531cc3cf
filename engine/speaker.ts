/**
 * One BGP speaker: its peers' session drivers, one listener, and the RIB, wired together. This is
 * what the standalone `porter bgp` process runs and what the controller and the reflector role
 * use. Each driver reports its session (established, down, UPDATEs, route refreshes, families
 * disabled) and the speaker carries it to the RIB:
 *
 * - established: the peer joins its update group, which sends it the table and End-of-RIB per
 *   family (RFC 4724 section 2), and graceful restart decides what stale paths it still has;
 * - update: its Adj-RIB-In; past its max-prefix the session ends with Cease/1 (RFC 4486);
 * - down: its paths go, or stay stale when graceful restart applies (speaker/graceful-restart.ts);
 * - route refresh: its Adj-RIB-Out again, between BoRR and EoRR when enhanced route refresh was
 *   negotiated (RFC 7313 section 4), else followed by End-of-RIB;
 * - family disabled: that family's paths from the peer go (RFC 7606 section 2).
 *
 * Peers are independent: adding, changing or removing one touches no other session.
 */
import { EventEmitter } from 'node:events';
import type { DestinationChange } from './rib/destination.ts';
import { OrderedOutbox } from './rib/ordered-outbox.ts';
import { Rib } from './rib/rib.ts';
import type { OutboundBytes } from './rib/outbound-bytes.ts';
import type { RouteEncoder } from './rib/route-encoder.ts';
import { type Clock, realClock } from './session/clock.ts';
import { canonicalAddress, isIpv4 } from './session/driver-config.ts';
import { PeerDriver, type SessionDown } from './session/driver.ts';
import { Listener } from './session/listener.ts';
import { CEASE, maximumPrefixesReached } from './session/notifications.ts';
import type { NegotiatedSession, SessionState } from './session/types.ts';
import {
  ConfigError,
  peerSettings,
  routeSettings,
  speakerConfig,
  type RouteConfig,
  type SpeakerConfig,
  type SpeakerPeerConfig,
} from './speaker/config.ts';
import { GracefulRestartHelper } from './speaker/graceful-restart.ts';
import { driverConfig, gracefulRestartWith, peerFamilies, ribSettings } from './speaker/peer-settings.ts';
import { describeDown, ReceivedRoutes, type PeerStatus } from './speaker/status.ts';
import {
  adjRibInEntry,
  adjRibOutEntry,
  locRibEntry,
  ofFamily,
  type AdjRibInEntry,
  type LocRibEntry,
  type RibRoute,
} from './speaker/views.ts';
import { selectCodec } from './wire/index.ts';
import type { DecodeResult, Family, RouteRefreshMessage, WireCodec } from './wire/types.ts';

export { ConfigError, speakerConfig, type SpeakerConfig, type SpeakerPeerConfig, type RouteConfig } from './speaker/config.ts';
export type { PeerStatus } from './speaker/status.ts';
export type { AdjRibInEntry, LocRibEntry, LocRibPath, RibRoute } from './speaker/views.ts';

/** One structured log record: `event` names it, the rest are its fields. */
export type Logger = (entry: { event: string } & Record<string, unknown>) => void;

export interface SpeakerOptions {
  clock?: Clock;
  codec?: WireCodec;
  logger?: Logger;
  /**
   * A worker pool (engine/pool's EnginePool) that encodes large batches (table dumps to many
   * peers, big changes) off the main thread; the caller owns it and closes it after `stop`.
   */
  pool?: RouteEncoder;
}

export interface SpeakerEvents {
  /** A peer's session moved to another state. */
  'peer-state': [change: { peer: string; from: SessionState; to: SessionState }];
  'peer-up': [event: { peer: string; session: NegotiatedSession }];
  /** A session ended, or an attempt to bring one up failed. */
  'peer-down': [event: { peer: string; wasEstablished: boolean; error: string }];
  /** Destinations whose best path or multipath set changed in the Loc-RIB. */
  'rib-change': [changes: DestinationChange[]];
}

interface PeerRecord {
  config: SpeakerPeerConfig;
  driver: PeerDriver;
  gracefulRestart: GracefulRestartHelper;
  /** While Established. */
  session?: NegotiatedSession;
  /** While Established: the session's UPDATE stream, in order although some of it is encoded in the pool. */
  outbox?: OrderedOutbox;
  upSince?: number;
  enabled: boolean;
  /** Being removed: its paths go, whatever graceful restart would do. */
  removing: boolean;
  received: ReceivedRoutes;
  lastError: string | null;
  /** Why we are ending the session ourselves, told with its end. */
  stopCause?: string;
}

export class Speaker extends EventEmitter<SpeakerEvents> {
  readonly rib: Rib;
  readonly #config: SpeakerConfig;
  readonly #clock: Clock;
  readonly #codec: WireCodec;
  readonly #logger: Logger;
  readonly #peers = new Map<string, PeerRecord>();
  #listener: Listener | undefined;
  #running = false;

  /** Throws ConfigError naming the field of a configuration that cannot run. */
  constructor(config: SpeakerConfig, options: SpeakerOptions = {}) {
    super();
    this.#config = speakerConfig(config);
    this.#clock = options.clock ?? realClock;
    this.#codec = options.codec ?? selectCodec().codec;
    this.#logger = options.logger ?? (() => {});
    const clock = this.#clock;
    this.rib = new Rib({
      localAs: this.#config.asn,
      routerId: this.#config.routerId,
      ...(this.#config.clusterId !== undefined ? { clusterId: this.#config.clusterId } : {}),
      rank: this.#config.multipath !== undefined ? { multipath: this.#config.multipath } : {},
      codec: this.#codec,
      ...(options.pool !== undefined && { encoder: options.pool }),
      now: () => clock.now(),
      scheduleSend: (send) => setImmediate(send),
    });
  }

  get config(): SpeakerConfig {
    return { ...this.#config, peers: [...this.#peers.values()].map(({ config }) => config) };
  }

  /** Where the listener listens (ports picked for port 0 resolved). */
  get listening(): { address: string; port: number }[] {
    return this.#listener?.addresses() ?? [];
  }

  /** Listens, originates the configured routes and starts every peer. */
  async start(): Promise<void> {
    if (this.#running) return;
    if (this.#config.listen.length > 0) {
      const listener = new Listener(this.#config.listen, {
        onRefused: (remote) => this.#log('connection-refused', { remote }),
      });
      await listener.listen();
      this.#listener = listener;
    }
    this.#running = true;
    this.#changed(this.rib.originate(this.#config.routes));
    const peers = this.#config.peers;
    this.#config.peers = [];
    for (const peer of peers) this.addPeer(peer);
    this.#log('started', { asn: this.#config.asn, routerId: this.#config.routerId, listen: this.listening });
  }

  /**
   * Ends every session with Cease/2 Administrative Shutdown (RFC 9003 message when given) and stops
   * listening; resolves once every connection is closed.
   */
  async stop(shutdownMessage?: string): Promise<void> {
    this.#running = false;
    await Promise.all([...this.#peers.values()].map((record) => record.driver.stop(shutdownMessage)));
    for (const record of this.#peers.values()) {
      record.gracefulRestart.dispose();
      record.driver.dispose();
    }
    await this.#listener?.close();
    this.#listener = undefined;
    this.#log('stopped', {});
  }

  /**
   * Ends everything at once, without a NOTIFICATION, as a crash would: peers that negotiated
   * graceful restart keep our routes stale (RFC 4724). For tests and for a process about to die.
   */
  async abort(): Promise<void> {
    this.#running = false;
    for (const record of this.#peers.values()) {
      record.gracefulRestart.dispose();
      record.driver.removeAllListeners();
      record.driver.dispose();
    }
    await this.#listener?.close();
    this.#listener = undefined;
  }

  /** Adds a peer and starts it; throws ConfigError on bad settings or an address already configured. */
  addPeer(settings: SpeakerPeerConfig): void {
    const config = peerSettings(settings, 'peer');
    if (this.#peers.has(config.address)) throw new ConfigError('peer.address', `${config.address} is already a peer`);
    const driver = new PeerDriver(driverConfig(this.#config, config), { clock: this.#clock, codec: this.#codec });
    const gr = this.#config.gracefulRestart;
    const record: PeerRecord = {
      config,
      driver,
      gracefulRestart: new GracefulRestartHelper({
        clock: this.#clock,
        rib: this.rib,
        address: config.address,
        gracefulRestart: gracefulRestartWith(this.#config, config),
        llgrStaleTime: config.llgr === true ? (gr?.llgrStaleTime ?? 0) : 0,
        stalePathTime: gr?.stalePathTime ?? 360,
        changed: (changes) => this.#changed(changes),
        log: (event, fields) => this.#log(event, fields),
      }),
      enabled: true,
      removing: false,
      received: new ReceivedRoutes(),
      lastError: null,
    };
    this.#peers.set(config.address, record);
    this.#wire(record);
    this.#listener?.addPeer(driver);
    this.#log('peer-added', { peer: config.address, asn: config.asn });
    if (this.#running) driver.start();
  }

  /**
   * Changes a peer: the fields given replace the configured ones. The session starts over only
   * when our OPEN or the transport must change; policies, reflection, limits and next hop self
   * apply to the running session (its update group changes and it is sent the difference).
   * Returns whether the session was reset.
   */
  updatePeer(changes: Partial<SpeakerPeerConfig> & { address: string }): { reset: boolean } {
    const record = this.#record(changes.address);
    const config = peerSettings({ ...record.config, ...changes, address: record.config.address }, 'peer');
    const reset = record.driver.updateConfig(driverConfig(this.#config, config)) === 'reset';
    record.config = config;
    if (!reset && record.session !== undefined) this.rib.updatePeer(this.#spec(record, record.session));
    this.#log('peer-updated', { peer: config.address, reset });
    return { reset };
  }

  /** Ends the peer's session (Cease/3 Peer De-configured) and forgets it and its paths. */
  async removePeer(address: string): Promise<void> {
    const record = this.#record(address);
    record.removing = true;
    this.#listener?.removePeer(record.driver);
    this.#peers.delete(record.config.address);
    // RFC 4486 section 4: Cease/3 Peer De-configured; the session's end removes its paths.
    record.driver.automaticStop({ subcode: CEASE.peerDeconfigured });
    await record.driver.stop();
    record.driver.dispose();
    record.gracefulRestart.dispose();
    if (record.session !== undefined) this.#sessionEnded(record, { reason: 'manual-stop', wasEstablished: true });
    this.#changed(this.rib.removePeer(record.config.address));
    this.#log('peer-removed', { peer: record.config.address });
  }

  /** Administrative shutdown of one peer (Cease/2 with the RFC 9003 message); it stays down until enabled. */
  async disablePeer(address: string, message?: string): Promise<void> {
    const record = this.#record(address);
    record.enabled = false;
    await record.driver.stop(message);
  }

  enablePeer(address: string): void {
    const record = this.#record(address);
    record.enabled = true;
    if (this.#running) record.driver.start();
  }

  /** Asks a peer to send a family again (RFC 2918). */
  routeRefresh(address: string, family: Family): void {
    const record = this.#record(address);
    if (record.session === undefined) throw new Error(`peer ${record.config.address} is not Established`);
    if (!record.session.families.includes(family)) throw new Error(`${family} is not negotiated with ${record.config.address}`);
    if (!record.session.routeRefresh) throw new Error(`${record.config.address} did not announce route refresh`);
    record.driver.sendRouteRefresh(family, 0);
  }

  /** Originates routes, or replaces them by prefix and path id; throws RangeError, changing nothing, on a bad one. */
  announce(routes: RouteConfig[]): DestinationChange[] {
    const checked = routes.map((route, index) => routeSettings(route, `routes[${index}]`));
    const changes = this.rib.originate(checked);
    this.#changed(changes);
    return changes;
  }

  withdraw(routes: { prefix: string; pathId?: number }[]): DestinationChange[] {
    const changes = this.rib.withdraw(routes);
    this.#changed(changes);
    return changes;
  }

  neighbors(): PeerStatus[] {
    return [...this.#peers.values()].map((record) => this.#status(record));
  }

  neighbor(address: string): PeerStatus {
    return this.#status(this.#record(address));
  }

  /** The Loc-RIB of a family (all when none), each path with its standing. */
  locRib(family?: Family): LocRibEntry[] {
    return ofFamily(this.rib.destinations(), family).map(locRibEntry);
  }

  adjRibIn(address: string, family?: Family): AdjRibInEntry[] {
    const record = this.#record(address);
    return ofFamily(this.rib.adjRibIn(record.config.address), family).map(adjRibInEntry);
  }

  adjRibOut(address: string, family?: Family): RibRoute[] {
    const record = this.#record(address);
    return ofFamily(this.rib.adjRibOut(record.config.address), family).map(adjRibOutEntry);
  }

  #record(address: string): PeerRecord {
    const canonical = canonicalAddress(String(address));
    const record = canonical === undefined ? undefined : this.#peers.get(canonical);
    if (record === undefined) throw new Error(`no peer ${address}`);
    return record;
  }

  #wire(record: PeerRecord): void {
    const { driver } = record;
    const peer = record.config.address;
    driver.on('state', ({ from, to }) => {
      this.#log('peer-state', { peer, from, to });
      this.emit('peer-state', { peer, from, to });
    });
    driver.on('established', (session) => this.#guard(peer, () => this.#established(record, session)));
    driver.on('down', (down) => this.#guard(peer, () => this.#sessionEnded(record, down)));
    driver.on('update', (result) => this.#guard(peer, () => this.#update(record, result)));
    driver.on('route-refresh', (message) => this.#guard(peer, () => this.#refreshRequested(record, message)));
    driver.on('family-disabled', (family) =>
      this.#guard(peer, () => {
        this.#log('family-disabled', { peer, family });
        record.received.dropFamily(family);
        this.#changed(this.rib.disableFamily(peer, family));
      }),
    );
    driver.on('connection-error', (error) => this.#log('connection-error', { peer, error: error.message }));
  }

  /** A fault in the speaker's own handling of one peer's event is logged; it must not take the process down. */
  #guard(peer: string, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#log('error', { peer, error: (error as Error).stack ?? String(error) });
    }
  }

  #spec(record: PeerRecord, session: NegotiatedSession) {
    const { driver } = record;
    return {
      address: record.config.address,
      session,
      member: { send: (bytes: OutboundBytes) => record.outbox?.send(bytes) },
      nextHopSelf: this.#ownAddresses(record),
      ...ribSettings(this.#config, record.config),
    };
  }

  /** Our addresses for next hop self: the session's own, and the configured one of the other family. */
  #ownAddresses(record: PeerRecord): { ipv4?: string; ipv6?: string } {
    const own: { ipv4?: string; ipv6?: string } = { ...this.#config.addresses };
    const local = canonicalAddress(record.driver.socket?.localAddress ?? record.config.localAddress ?? '');
    if (local !== undefined) {
      if (isIpv4(local)) own.ipv4 = local;
      else own.ipv6 = local;
    }
    return own;
  }

  #established(record: PeerRecord, session: NegotiatedSession): void {
    const peer = record.config.address;
    record.session = session;
    record.outbox = new OrderedOutbox(
      (bytes) => void record.driver.sendUpdateBytes(bytes),
      (error) => this.#log('error', { peer: record.config.address, error: `encoding UPDATEs in the pool: ${error.message}` }),
    );
    record.upSince = this.#clock.now();
    record.lastError = null;
    record.received.clear();
    this.#log('established', {
      peer,
      peerAs: session.peerAs,
      peerId: session.peerId,
      families: session.families,
      addPath: session.addPath,
      holdTime: session.holdTime,
      gracefulRestart: session.peerGracefulRestart ?? null,
    });
    this.rib.addPeer(this.#spec(record, session));
    this.#changed(record.gracefulRestart.sessionUp(session));
    this.emit('peer-up', { peer, session });
  }

  #sessionEnded(record: PeerRecord, down: SessionDown): void {
    const peer = record.config.address;
    const error = record.stopCause !== undefined ? `${record.stopCause}; ${describeDown(down)}` : describeDown(down);
    record.stopCause = undefined;
    const session = record.session;
    record.session = undefined;
    record.outbox?.close();
    record.outbox = undefined;
    record.upSince = undefined;
    if (down.reason !== 'manual-stop' || down.received !== undefined) record.lastError = error;
    this.#log('down', { peer, wasEstablished: session !== undefined, error });
    if (session !== undefined) {
      record.received.clear();
      const changes = record.removing
        ? this.rib.removePeer(peer)
        : record.gracefulRestart.sessionLost(session, down);
      this.#changed(changes);
    }
    this.emit('peer-down', { peer, wasEstablished: session !== undefined, error });
  }

  #update(record: PeerRecord, result: DecodeResult): void {
    const update = result.message;
    if (update?.type !== 'update' || record.session === undefined) return;
    const peer = record.config.address;
    record.received.apply(update);
    const outcome = this.rib.receiveUpdate(peer, update, result.error);
    for (const family of outcome.endOfRib) {
      this.#log('end-of-rib', { peer, family });
      record.gracefulRestart.endOfRib(family);
    }
    this.#changed(outcome.changes);
    const exceeded = outcome.maxPrefixExceeded;
    if (exceeded !== undefined) {
      const family = familyOf(update) ?? record.session.families[0];
      record.stopCause = `max-prefix: ${exceeded.count} routes, limit ${exceeded.limit}`;
      this.#log('max-prefix', { peer, family, count: exceeded.count, limit: exceeded.limit });
      // RFC 4486 section 4: Cease/1 with the AFI, SAFI and limit.
      record.driver.automaticStop(maximumPrefixesReached(family, exceeded.limit));
    }
  }

  /**
   * The peer asks for a family again (RFC 2918). Its BoRR and EoRR around its own re-advertisement
   * (RFC 7313 subtypes 1 and 2) need nothing here: what it sends again replaces what it sent.
   */
  #refreshRequested(record: PeerRecord, message: RouteRefreshMessage): void {
    const session = record.session;
    if (session === undefined || message.subtype !== 0 || !session.families.includes(message.family)) return;
    const peer = record.config.address;
    this.#log('route-refresh', { peer, family: message.family, enhanced: session.enhancedRouteRefresh });
    if (session.enhancedRouteRefresh) {
      // RFC 7313 section 4: BoRR, the Adj-RIB-Out, EoRR, in that order behind what is still being encoded.
      const outbox = record.outbox;
      outbox?.whenSent(() => record.driver.sendRouteRefresh(message.family, 1));
      this.rib.refresh(peer, [message.family], { endOfRib: false });
      outbox?.whenSent(() => record.driver.sendRouteRefresh(message.family, 2));
    } else {
      this.rib.refresh(peer, [message.family]);
    }
  }

  #status(record: PeerRecord): PeerStatus {
    const { config, session } = record;
    const address = config.address;
    const addPath: Record<Family, 'send' | 'receive' | 'both'> = {};
    if (session !== undefined) {
      for (const family of session.families) {
        const send = session.addPath.send.includes(family);
        const receive = session.addPath.receive.includes(family);
        if (send || receive) addPath[family] = send && receive ? 'both' : send ? 'send' : 'receive';
      }
    }
    return {
      address,
      asn: config.asn,
      description: config.description ?? null,
      state: record.driver.state,
      enabled: record.enabled,
      uptime: record.upSince === undefined ? null : Math.floor((this.#clock.now() - record.upSince) / 1000),
      received: record.received.size,
      accepted: this.rib.adjRibIn(address).length,
      advertised: this.rib.adjRibOut(address).length,
      lastError: record.lastError,
      families: session?.families ?? peerFamilies(config),
      addPath,
      gracefulRestart: record.gracefulRestart.state,
    };
  }

  #changed(changes: DestinationChange[]): void {
    if (changes.length > 0) this.emit('rib-change', changes);
  }

  #log(event: string, fields: Record<string, unknown>): void {
    this.#logger({ event, ...fields });
  }
}

/** The family of an UPDATE's routes: its MP_REACH_NLRI's, else IPv4 unicast. */
function familyOf(update: { attributes: { type: string; family?: Family }[]; nlri: unknown[] }): Family | undefined {
  const reach = update.attributes.find((attribute) => attribute.type === 'mp-reach');
  if (reach?.family !== undefined) return reach.family;
  return update.nlri.length > 0 ? 'ipv4-unicast' : undefined;
}
