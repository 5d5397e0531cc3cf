/**
 * One node's BGP speaker, driven by the cluster's objects: it announces the load balancer
 * addresses this node is eligible for, peers with the BgpPeers that select the node under the
 * settings of BgpConf `default`, and reports each session in the BgpPeer's status.
 *
 * Work is keyed and incremental. A change marks what it touches (a Service, a peer, the node,
 * the configuration) and a short coalescing timer applies all marks at once, so a burst of a
 * thousand Service events becomes one `announce` and one `withdraw` of arrays:
 *
 * - a Service or one of its EndpointSlices: that Service's addresses only;
 * - this node: every Service (its eligibility and addresses changed), every peer (its selectors),
 *   the settings (rack AS, router id); other nodes are never read;
 * - a BgpPeer, or a Secret one refers to: that peer alone, changed in place (`updatePeer`), the
 *   engine resetting its session only when our OPEN or the transport must change;
 * - BgpConf: a new AS, router id, listener, graceful restart or multipath needs a new Speaker,
 *   which resets every session (logged); its families apply to the peers in place.
 *
 * Routes live in the Speaker, not in the peers, so peer changes never drop them. Nothing runs
 * before the store has listed Services, EndpointSlices, the Node, BgpConf and BgpPeers: a Speaker
 * started on a partial view would send its peers a partial table and End-of-RIB, and a router
 * keeping our routes through graceful restart would drop the rest.
 */
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { V1EndpointSlice, V1Node } from '@kubernetes/client-node';
import { type Clock, realClock, type TimerHandle } from '../../engine/session/clock.ts';
import { type Logger, type RouteConfig, Speaker, type SpeakerOptions, type SpeakerPeerConfig } from '../../engine/speaker.ts';
import { ownsService } from '../api/service-ownership.ts';
import type { BgpConf } from '../api/types.ts';
import type { Metrics } from '../ops/metrics.ts';
import { objectKey, type ClusterWriter, type Kind, type ObjectKey, type ReadStore, type StoreEvent } from '../runtime/types.ts';
import { hostPrefix, serviceContributions, vipRoute, type Contribution } from './announcements.ts';
import { nodeReady } from './eligibility.ts';
import { nodeAddresses, type NodeAddresses } from './node-address.ts';
import { validateBgpConf, validateBgpPeer } from '../api/validation.ts';
import { identityOf, peerSelected, peerSettings, speakerSettings, type SpeakerBase } from './peer-config.ts';
import { nodePeerStatus } from './peer-status.ts';
import { SliceIndex } from './slice-index.ts';
import { VipTable } from './vip-table.ts';

/** The BgpConf every node reads (OpenELB: the one named `default`). */
export const BGP_CONF_NAME = 'default';

/** The kinds that must be listed before anything is announced or any session starts. */
export const REQUIRED_KINDS: readonly Kind[] = ['Service', 'EndpointSlice', 'Node', 'BgpConf', 'BgpPeer'];

export interface NodeSpeakerOptions {
  /** This node's name, as in `metadata.name` of its Node. */
  nodeName: string;
  store: ReadStore;
  writer: ClusterWriter;
  /** Porter serves LoadBalancer Services without a class (`ownsService`). */
  isDefault: boolean;
  logger?: Logger;
  /** Session up and prefixes advertised, per BgpPeer name. */
  metrics?: Metrics;
  /** Passed to every Speaker made (codec, clock); its logger defaults to `logger`. */
  speakerOptions?: SpeakerOptions;
  /** Every peer's status is written this often, when it changed; default 10 s. */
  statusIntervalMs?: number;
  /** Changes arriving within this many milliseconds are applied together; default 10. */
  coalesceMs?: number;
  /** Timers of the node speaker itself (coalescing, status interval). */
  clock?: Clock;
  /** Wall-clock milliseconds, for the times written into status. */
  wallClock?: () => number;
}

export interface StopOptions {
  /**
   * True (default): every session ends with Cease/Administrative Shutdown (RFC 4486, RFC 9003
   * message), so routers withdraw this node's routes at once and traffic moves to other nodes.
   * False: sessions are dropped without a NOTIFICATION, as a crash would, so routers that
   * negotiated graceful restart keep forwarding along our routes until we are back (RFC 4724).
   */
  graceful?: boolean;
}

/** What the node speaker keeps about one BgpPeer that selects this node. */
interface PeerEntry {
  name: string;
  neighborAddress: string;
  peerAs: number;
  description?: string;
  adminDown: boolean;
  /** The settings the engine runs, absent when refused. */
  config?: SpeakerPeerConfig;
  /** The engine's peer is administratively disabled. */
  disabled: boolean;
  /** Why the settings were refused. */
  error?: string;
  peerRouterId?: string;
  upSince?: number;
  downSince?: number;
  flops: number;
  /** The status last written, as JSON, so an unchanged one is not written again. */
  written?: string;
}

const NO_CONTRIBUTIONS: ReadonlyMap<string, Contribution> = new Map();

export class NodeSpeaker {
  readonly #nodeName: string;
  readonly #store: ReadStore;
  readonly #writer: ClusterWriter;
  readonly #isDefault: boolean;
  readonly #logger: Logger;
  readonly #metrics: Metrics | undefined;
  readonly #speakerOptions: SpeakerOptions;
  readonly #statusIntervalMs: number;
  readonly #coalesceMs: number;
  readonly #clock: Clock;
  readonly #wallClock: () => number;

  #speaker: Speaker | undefined;
  #base: SpeakerBase | undefined;
  #identity: string | undefined;
  #confError: string | undefined;
  #node: V1Node | undefined;
  /** What of this Node the speaker reads, as JSON, to tell a relevant change from a heartbeat. */
  #nodeView: string | undefined;
  #addresses: NodeAddresses = {};
  readonly #vips = new VipTable();
  readonly #slices = new SliceIndex();
  /** Every route the node announces, by prefix: what the Speaker holds while one runs. */
  readonly #desired = new Map<string, RouteConfig>();
  readonly #peers = new Map<string, PeerEntry>();
  /** Engine peer address -> BgpPeer name. */
  readonly #peerByAddress = new Map<string, string>();

  readonly #dirty = {
    node: false,
    conf: false,
    allServices: false,
    allPeers: false,
    services: new Set<ObjectKey>(),
    peers: new Set<string>(),
  };

  #running = false;
  #coalesceTimer: TimerHandle | undefined;
  #statusTimer: TimerHandle | undefined;
  #flushing: Promise<void> | undefined;
  #again = false;
  readonly #writes = new Set<Promise<void>>();
  readonly #onChange = (event: StoreEvent) => this.#changed(event);
  readonly #onSynced = () => this.#schedule();

  constructor(options: NodeSpeakerOptions) {
    this.#nodeName = options.nodeName;
    this.#store = options.store;
    this.#writer = options.writer;
    this.#isDefault = options.isDefault;
    this.#logger = options.logger ?? (() => {});
    this.#metrics = options.metrics;
    this.#speakerOptions = { ...options.speakerOptions, logger: options.speakerOptions?.logger ?? this.#logger };
    this.#statusIntervalMs = options.statusIntervalMs ?? 10_000;
    this.#coalesceMs = options.coalesceMs ?? 10;
    this.#clock = options.clock ?? realClock;
    this.#wallClock = options.wallClock ?? Date.now;
  }

  /** The running engine, absent before the store synced, without BgpConf, or after `stop()`. */
  get speaker(): Speaker | undefined {
    return this.#speaker;
  }

  /** The prefixes announced, sorted; none while no Speaker runs. */
  announced(): string[] {
    return this.#speaker === undefined ? [] : [...this.#desired.keys()].sort();
  }

  /**
   * Follows the store from now on and applies what it holds; resolves once that is done (when
   * the store has synced) so that a caller sees the Speaker running.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#store.on('change', this.#onChange);
    // MemoryStore also says when a kind is first listed, which may bring no change event.
    if (this.#store instanceof EventEmitter) this.#store.on('synced', this.#onSynced);
    for (const slice of this.#store.list('EndpointSlice')) this.#slices.set(objectKey(slice.metadata), slice);
    Object.assign(this.#dirty, { node: true, conf: true, allServices: true, allPeers: true });
    this.#armStatusTimer();
    await this.whenIdle();
  }

  /** Stops following the store and ends every session (see `StopOptions`). */
  async stop(options: StopOptions = {}): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#store.off('change', this.#onChange);
    if (this.#store instanceof EventEmitter) this.#store.off('synced', this.#onSynced);
    if (this.#coalesceTimer !== undefined) this.#clock.clear(this.#coalesceTimer);
    if (this.#statusTimer !== undefined) this.#clock.clear(this.#statusTimer);
    this.#coalesceTimer = undefined;
    this.#statusTimer = undefined;
    await this.#flushing;
    const speaker = this.#speaker;
    this.#forgetEngine();
    if (speaker !== undefined) {
      speaker.removeAllListeners();
      if (options.graceful ?? true) await speaker.stop('node speaker stopping');
      else await speaker.abort();
    }
    await Promise.allSettled([...this.#writes]);
    this.#log('node-speaker-stopped', { graceful: options.graceful ?? true });
  }

  /** Applies every pending change now; resolves when they are applied and their status written. */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.#coalesceTimer !== undefined) {
        this.#clock.clear(this.#coalesceTimer);
        this.#coalesceTimer = undefined;
        this.#run();
      } else if (this.#running && this.#flushing === undefined && this.#pending() && this.#synced()) {
        this.#run();
      }
      if (this.#flushing === undefined && this.#writes.size === 0) return;
      await this.#flushing;
      await Promise.allSettled([...this.#writes]);
    }
  }

  // --- what a store event marks ------------------------------------------------------------------

  #changed(event: StoreEvent): void {
    switch (event.kind) {
      case 'Service':
        this.#dirty.services.add(event.key);
        break;
      case 'EndpointSlice': {
        const slice = event.type === 'deleted' ? undefined : (event.object as V1EndpointSlice);
        for (const service of this.#slices.set(event.key, slice)) this.#dirty.services.add(service);
        break;
      }
      case 'Node': {
        if (event.key !== this.#nodeName) return;
        // Kubelet rewrites its Node every few seconds (heartbeats, images): only what we read counts.
        const view = event.type === 'deleted' ? undefined : nodeView(event.object as V1Node);
        if (view === this.#nodeView) return;
        this.#nodeView = view;
        this.#dirty.node = true;
        break;
      }
      case 'BgpConf':
        if (event.key !== BGP_CONF_NAME || specUnchanged(event)) return;
        this.#dirty.conf = true;
        break;
      case 'BgpPeer':
        // Our own status writes come back as modifications; only the spec matters here.
        if (specUnchanged(event)) return;
        this.#dirty.peers.add(event.key);
        break;
      case 'Secret':
        for (const peer of this.#store.list('BgpPeer')) {
          const ref = peer.spec?.conf?.authPasswordSecretRef;
          if (ref !== undefined && `${ref.namespace}/${ref.name}` === event.key) this.#dirty.peers.add(objectKey(peer.metadata));
        }
        break;
      default:
        return;
    }
    this.#schedule();
  }

  #pending(): boolean {
    const dirty = this.#dirty;
    return dirty.node || dirty.conf || dirty.allServices || dirty.allPeers || dirty.services.size > 0 || dirty.peers.size > 0;
  }

  #schedule(): void {
    if (!this.#running || this.#coalesceTimer !== undefined) return;
    this.#coalesceTimer = this.#clock.setTimer('coalesce', this.#coalesceMs / 1000, () => {
      this.#coalesceTimer = undefined;
      this.#run();
    });
  }

  /** Runs the flush, once at a time; marks made meanwhile run again after it. */
  #run(): void {
    if (this.#flushing !== undefined) {
      this.#again = true;
      return;
    }
    this.#flushing = (async () => {
      do {
        this.#again = false;
        try {
          await this.#flush();
        } catch (error) {
          this.#log('node-speaker-error', { error: (error as Error).stack ?? String(error) });
        }
      } while (this.#again && this.#running);
    })().finally(() => {
      this.#flushing = undefined;
    });
  }

  #synced(): boolean {
    return REQUIRED_KINDS.every((kind) => this.#store.synced(kind));
  }

  // --- applying the marks ------------------------------------------------------------------------

  async #flush(): Promise<void> {
    if (!this.#running || !this.#synced()) return;
    const dirty = this.#dirty;
    const nodeChanged = dirty.node;
    const confChanged = dirty.conf || nodeChanged;
    let allServices = dirty.allServices || nodeChanged;
    let allPeers = dirty.allPeers || nodeChanged;
    const services = new Set(dirty.services);
    const peers = new Set(dirty.peers);
    Object.assign(dirty, { node: false, conf: false, allServices: false, allPeers: false });
    dirty.services.clear();
    dirty.peers.clear();

    let allAddresses = false;
    if (nodeChanged) {
      this.#node = this.#store.get('Node', this.#nodeName);
      this.#nodeView = this.#node === undefined ? undefined : nodeView(this.#node);
      const addresses = this.#node === undefined ? {} : nodeAddresses(this.#node);
      if (!isDeepStrictEqual(addresses, this.#addresses)) allAddresses = true;
      this.#addresses = addresses;
    }

    let recreate = false;
    if (confChanged) {
      const outcome = this.#settings();
      if (outcome === 'stop') {
        this.#base = undefined;
        await this.#stopSpeaker(`no BgpConf ${BGP_CONF_NAME} or no Node ${this.#nodeName}`);
      } else if (outcome !== 'keep') {
        recreate = this.#speaker === undefined || identityOf(outcome) !== this.#identity;
        if (!isDeepStrictEqual(outcome.families, this.#base?.families)) allPeers = true;
        if (outcome.asn !== this.#base?.asn) allAddresses = true;
        this.#base = outcome;
        this.#writeConfStatus();
      }
    }

    const changed = this.#evaluateServices(allServices ? undefined : services, allAddresses);

    if (recreate) {
      await this.#recreate();
      allPeers = true;
    } else if (this.#speaker !== undefined) {
      this.#apply(this.#speaker, changed);
    }

    if (this.#speaker === undefined) return;
    const names = allPeers ? new Set([...this.#store.list('BgpPeer').map((peer) => objectKey(peer.metadata)), ...this.#peers.keys()]) : peers;
    for (const name of names) await this.#syncPeer(name);
  }

  /** The speaker's settings from BgpConf and the node: new ones, 'keep' the running ones (refused), or 'stop'. */
  #settings(): SpeakerBase | 'keep' | 'stop' {
    const conf = this.#store.get('BgpConf', BGP_CONF_NAME);
    const node = this.#node;
    if (conf === undefined || node === undefined) return 'stop';
    const valid = validateBgpConf(conf);
    const result = valid.ok
      ? speakerSettings(conf, node, this.#addresses)
      : { ok: false as const, error: valid.problems.map(({ field, message }) => `${field}: ${message}`).join('; ') };
    if (!result.ok) {
      if (result.error !== this.#confError) {
        this.#confError = result.error;
        this.#log('bgp-conf-refused', { error: result.error });
        this.#event('BgpConf', BGP_CONF_NAME, 'Warning', 'InvalidConfiguration', `node ${this.#nodeName}: ${result.error}`);
      }
      return 'keep';
    }
    this.#confError = undefined;
    return result.value;
  }

  /**
   * Re-evaluates Services (all when `keys` is undefined) and the routes of the addresses whose
   * Services changed (all of them when `allAddresses`); returns the routes to announce and the
   * prefixes to withdraw, with `#desired` updated.
   */
  #evaluateServices(keys: Set<ObjectKey> | undefined, allAddresses: boolean): { announce: RouteConfig[]; withdraw: string[] } {
    const serviceKeys = keys ?? new Set([...this.#store.list('Service').map((service) => objectKey(service.metadata)), ...this.#vips.services()]);
    const addresses = new Set<string>();
    for (const key of serviceKeys) {
      for (const address of this.#vips.setService(key, this.#contributions(key))) addresses.add(address);
    }
    if (allAddresses) {
      for (const address of this.#vips.addresses()) addresses.add(address);
      for (const prefix of this.#desired.keys()) addresses.add(prefix.slice(0, prefix.lastIndexOf('/')));
    }
    const announce: RouteConfig[] = [];
    const withdraw: string[] = [];
    const asn = this.#base?.asn ?? 0;
    for (const address of addresses) {
      const prefix = hostPrefix(address);
      const route = vipRoute(address, this.#vips.contributions(address), this.#addresses, asn);
      const before = this.#desired.get(prefix);
      if (route === undefined) {
        if (before === undefined) continue;
        this.#desired.delete(prefix);
        withdraw.push(prefix);
      } else if (!isDeepStrictEqual(route, before)) {
        this.#desired.set(prefix, route);
        announce.push(route);
      }
    }
    return { announce, withdraw };
  }

  #contributions(key: ObjectKey): ReadonlyMap<string, Contribution> {
    const service = this.#store.get('Service', key);
    const node = this.#node;
    if (service === undefined || node === undefined || !ownsService(service, { isDefault: this.#isDefault })) return NO_CONTRIBUTIONS;
    const slices: V1EndpointSlice[] = [];
    for (const sliceKey of this.#slices.slicesOf(key)) {
      const slice = this.#store.get('EndpointSlice', sliceKey);
      if (slice !== undefined) slices.push(slice);
    }
    return serviceContributions(node, service, slices);
  }

  #apply(speaker: Speaker, changed: { announce: RouteConfig[]; withdraw: string[] }): void {
    try {
      if (changed.announce.length > 0) speaker.announce(changed.announce);
      if (changed.withdraw.length > 0) speaker.withdraw(changed.withdraw.map((prefix) => ({ prefix })));
    } catch (error) {
      this.#log('announce-failed', { error: (error as Error).message });
    }
    if (changed.announce.length + changed.withdraw.length > 0) {
      this.#log('routes-changed', { announced: changed.announce.map(({ prefix }) => prefix), withdrawn: changed.withdraw });
    }
  }

  // --- the Speaker -------------------------------------------------------------------------------

  /** A new Speaker with every route; every peer is added again by the caller. */
  async #recreate(): Promise<void> {
    const base = this.#base;
    if (base === undefined) return;
    if (this.#speaker !== undefined) {
      // Our OPEN (AS, identifier, capabilities) or the listener changed: no session survives that.
      this.#log('speaker-restart', { reason: 'BgpConf changed AS, router id, listener, graceful restart or multipath; every session resets' });
      await this.#stopSpeaker('configuration changed');
    }
    const { families: _families, ...engine } = base;
    let speaker: Speaker;
    try {
      speaker = new Speaker({ ...engine, peers: [], routes: [...this.#desired.values()] }, this.#speakerOptions);
      await speaker.start();
    } catch (error) {
      const message = (error as Error).message;
      this.#log('speaker-start-failed', { error: message });
      this.#event('BgpConf', BGP_CONF_NAME, 'Warning', 'SpeakerFailed', `node ${this.#nodeName}: ${message}`);
      // Tried again at the next status interval (a listen address may be busy for a moment).
      return;
    }
    this.#speaker = speaker;
    this.#identity = identityOf(base);
    speaker.on('peer-state', ({ peer }) => this.#peerEvent(peer));
    speaker.on('peer-up', ({ peer, session }) => this.#peerEvent(peer, (entry) => {
      entry.upSince = this.#wallClock();
      entry.peerRouterId = session.peerId;
    }));
    speaker.on('peer-down', ({ peer, wasEstablished }) => this.#peerEvent(peer, (entry) => {
      if (!wasEstablished) return;
      entry.downSince = this.#wallClock();
      entry.flops += 1;
    }));
    this.#log('speaker-started', { asn: base.asn, routerId: base.routerId, listen: speaker.listening, routes: this.#desired.size });
  }

  async #stopSpeaker(message: string): Promise<void> {
    const speaker = this.#speaker;
    this.#forgetEngine();
    if (speaker === undefined) return;
    speaker.removeAllListeners();
    await speaker.stop(message);
    this.#log('speaker-stopped', { reason: message });
    // Until a Speaker runs again, every peer's status says why it has no session.
    for (const entry of this.#peers.values()) {
      entry.error = message;
      this.#writePeerStatus(entry);
    }
  }

  /** No Speaker runs: no peer is in one (a later Speaker gets them all again). */
  #forgetEngine(): void {
    this.#speaker = undefined;
    this.#identity = undefined;
    this.#peerByAddress.clear();
    for (const entry of this.#peers.values()) {
      delete entry.config;
      entry.disabled = false;
    }
  }

  #peerEvent(address: string, update?: (entry: PeerEntry) => void): void {
    const name = this.#peerByAddress.get(address);
    const entry = name === undefined ? undefined : this.#peers.get(name);
    if (entry === undefined) return;
    update?.(entry);
    this.#writePeerStatus(entry);
  }

  // --- peers -------------------------------------------------------------------------------------

  async #syncPeer(name: string): Promise<void> {
    const speaker = this.#speaker;
    if (speaker === undefined) return;
    const peer = this.#store.get('BgpPeer', name);
    const node = this.#node;
    let entry = this.#peers.get(name);
    // A manifest reaches us without the apiserver's schema check: vet every field before use.
    const valid = peer === undefined ? undefined : validateBgpPeer(peer);
    if (peer !== undefined && node !== undefined && valid !== undefined && !valid.ok) {
      entry ??= { name, neighborAddress: String(peer.spec?.conf?.neighborAddress ?? ''), peerAs: 0, adminDown: false, disabled: false, flops: 0 };
      this.#peers.set(name, entry);
      await this.#refuse(speaker, entry, valid.problems.map(({ field, message }) => `${field}: ${message}`).join('; '));
      return;
    }
    if (peer === undefined || node === undefined || !peerSelected(peer, node)) {
      if (entry === undefined) return;
      await this.#removeFromEngine(speaker, entry);
      this.#peers.delete(name);
      this.#metrics?.forgetPeer(name, this.#nodeName);
      this.#log('peer-deselected', { peer: name });
      // A deleted BgpPeer takes its status along; one that no longer selects us keeps the others' entries.
      if (peer !== undefined) this.#write(() => this.#writer.setBgpPeerNodeStatus(name, this.#nodeName, undefined));
      return;
    }
    if (entry === undefined) {
      entry = { name, neighborAddress: '', peerAs: 0, adminDown: false, disabled: false, flops: 0 };
      this.#peers.set(name, entry);
    }
    const conf = peer.spec?.conf;
    entry.neighborAddress = String(conf?.neighborAddress ?? '');
    entry.peerAs = conf?.peerAs ?? 0;
    entry.adminDown = conf?.adminDown === true;
    if (conf?.description) entry.description = conf.description;
    else delete entry.description;

    const settings = peerSettings(peer, {
      secrets: (key) => this.#store.get('Secret', key),
      nodeAddresses: this.#addresses,
      ...(this.#base !== undefined ? { localAs: this.#base.asn } : {}),
      ...(this.#base?.families !== undefined ? { families: this.#base.families } : {}),
    });
    if (!settings.ok) {
      await this.#refuse(speaker, entry, settings.error);
      return;
    }
    const config = settings.value;
    const owner = this.#peerByAddress.get(config.address);
    if (owner !== undefined && owner !== name) {
      await this.#refuse(speaker, entry, `conf.neighborAddress: ${config.address} is already the neighbour of BgpPeer ${owner} on this node`);
      return;
    }
    try {
      if (entry.config !== undefined && entry.config.address === config.address) {
        if (!isDeepStrictEqual(entry.config, config)) {
          const { reset } = speaker.updatePeer(replacing(entry.config, config));
          this.#log('peer-changed', { peer: name, address: config.address, reset });
          entry.config = config;
        }
      } else {
        if (entry.config !== undefined) await this.#removeFromEngine(speaker, entry);
        speaker.addPeer(config);
        entry.config = config;
        entry.disabled = false;
        this.#peerByAddress.set(config.address, name);
        this.#log('peer-configured', { peer: name, address: config.address });
      }
    } catch (error) {
      await this.#refuse(speaker, entry, (error as Error).message);
      return;
    }
    delete entry.error;
    if (entry.adminDown && !entry.disabled) {
      entry.disabled = true;
      await speaker.disablePeer(config.address, 'administratively down');
    } else if (!entry.adminDown && entry.disabled) {
      entry.disabled = false;
      speaker.enablePeer(config.address);
    }
    this.#writePeerStatus(entry);
  }

  /** Settings that cannot be used: no session for this peer, its status and an Event say why; others go on. */
  async #refuse(speaker: Speaker, entry: PeerEntry, error: string): Promise<void> {
    await this.#removeFromEngine(speaker, entry);
    if (entry.error !== error) {
      entry.error = error;
      this.#log('peer-refused', { peer: entry.name, error });
      this.#event('BgpPeer', entry.name, 'Warning', 'InvalidPeer', `node ${this.#nodeName}: ${error}`);
    }
    this.#writePeerStatus(entry);
  }

  async #removeFromEngine(speaker: Speaker, entry: PeerEntry): Promise<void> {
    const config = entry.config;
    if (config === undefined) return;
    delete entry.config;
    entry.disabled = false;
    delete entry.upSince;
    this.#peerByAddress.delete(config.address);
    await speaker.removePeer(config.address);
    this.#log('peer-removed', { peer: entry.name, address: config.address });
    // Another BgpPeer may have been refused for naming the same neighbour.
    for (const other of this.#peers.values()) if (other.error !== undefined) this.#dirty.peers.add(other.name);
    if (this.#dirty.peers.size > 0) this.#schedule();
  }

  // --- status ------------------------------------------------------------------------------------

  #writePeerStatus(entry: PeerEntry): void {
    const speaker = this.#speaker;
    const engine = speaker !== undefined && entry.config !== undefined ? speaker.neighbor(entry.config.address) : undefined;
    const status = nodePeerStatus({
      neighborAddress: entry.neighborAddress,
      peerAs: entry.peerAs,
      adminDown: entry.adminDown,
      flops: entry.flops,
      ...(this.#base !== undefined ? { localAs: this.#base.asn } : {}),
      ...(entry.description !== undefined ? { description: entry.description } : {}),
      ...(engine !== undefined ? { engine } : {}),
      ...(entry.peerRouterId !== undefined ? { peerRouterId: entry.peerRouterId } : {}),
      ...(entry.upSince !== undefined ? { upSince: entry.upSince } : {}),
      ...(entry.downSince !== undefined ? { downSince: entry.downSince } : {}),
      ...(entry.error !== undefined ? { error: entry.error } : {}),
    });
    this.#metrics?.setSessionUp(entry.name, this.#nodeName, engine?.state === 'Established');
    this.#metrics?.setAnnouncedPrefixes(entry.name, this.#nodeName, engine?.advertised ?? 0);
    const text = JSON.stringify(status);
    if (text === entry.written) return;
    entry.written = text;
    this.#write(() => this.#writer.setBgpPeerNodeStatus(entry.name, this.#nodeName, status), () => {
      if (entry.written === text) delete entry.written;
    });
  }

  /** This node's entry in BgpConf `nodesConfStatus`, when it differs from what the store shows. */
  #writeConfStatus(): void {
    const base = this.#base;
    const conf: BgpConf | undefined = this.#store.get('BgpConf', BGP_CONF_NAME);
    if (base === undefined || conf === undefined) return;
    const entry = { routerId: base.routerId, as: base.asn };
    if (isDeepStrictEqual(conf.status?.nodesConfStatus?.[this.#nodeName], entry)) return;
    this.#write(() => this.#writer.setBgpConfStatus(BGP_CONF_NAME, { nodesConfStatus: { [this.#nodeName]: entry } }));
  }

  #armStatusTimer(): void {
    this.#statusTimer = this.#clock.setTimer('status', this.#statusIntervalMs / 1000, () => {
      if (!this.#running) return;
      for (const entry of this.#peers.values()) this.#writePeerStatus(entry);
      // A Speaker that failed to start is tried again; a store that synced without a change event is noticed.
      if (this.#speaker === undefined && this.#base !== undefined) this.#dirty.conf = true;
      if (this.#pending()) this.#schedule();
      this.#armStatusTimer();
    });
  }

  #write(write: () => Promise<void>, failed?: () => void): void {
    const pending: Promise<void> = write()
      .catch((error: unknown) => {
        failed?.();
        this.#log('status-write-failed', { error: (error as Error).message });
      })
      .finally(() => this.#writes.delete(pending));
    this.#writes.add(pending);
  }

  #event(kind: Kind, key: ObjectKey, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.#write(() => this.#writer.event(kind, key, type, reason, message));
  }

  #log(event: string, fields: Record<string, unknown>): void {
    this.#logger({ event, node: this.#nodeName, ...fields });
  }
}

/** The parts of a Node the speaker reads: readiness, labels (exclusion, rack, peer selectors) and addresses. */
function nodeView(node: V1Node): string {
  return JSON.stringify({ ready: nodeReady(node), labels: node.metadata?.labels ?? {}, addresses: nodeAddresses(node) });
}

/** A modification that left the spec as it was (a status or metadata write). */
function specUnchanged(event: StoreEvent): boolean {
  if (event.type !== 'modified' || event.old === undefined) return false;
  return isDeepStrictEqual((event.old as { spec?: unknown }).spec, (event.object as { spec?: unknown }).spec);
}

/**
 * `updatePeer` merges the fields given into the running ones: a field the new settings no longer
 * have is given as undefined, so it goes rather than lingers.
 */
function replacing(before: SpeakerPeerConfig, after: SpeakerPeerConfig): SpeakerPeerConfig {
  const cleared = Object.fromEntries(Object.keys(before).map((key) => [key, undefined]));
  return { ...cleared, ...after } as SpeakerPeerConfig;
}
