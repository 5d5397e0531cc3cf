/**
 * Porter's Prometheus metrics. Each process makes one `Metrics` with a registry of its own, so
 * nothing lands in prom-client's global default registry (a library that uses it cannot collide
 * with ours, and tests can make as many as they like).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop lag, handles). Default true. */
  defaultMetrics?: boolean;
}

/** The registry and typed setters for every metric Porter exports. */
export class Metrics {
  readonly registry = new Registry();

  /** 1 while the BGP session with `peer` on `node` is Established, else 0. */
  readonly bgpSessionUp: Gauge<'peer' | 'node'>;
  /** Prefixes announced to `peer` from `node`. */
  readonly bgpAnnouncedPrefixes: Gauge<'peer' | 'node'>;
  /** Addresses allocated from an Eip. */
  readonly ipamAddressesInUse: Gauge<'pool'>;
  /** Addresses in an Eip's range. */
  readonly ipamAddressesTotal: Gauge<'pool'>;
  /** How long one reconcile took. */
  readonly reconcileDurationSeconds: Histogram<'reconciler'>;
  /** Reconciles that failed (and will be retried). */
  readonly reconcileErrorsTotal: Counter<'reconciler'>;
  /** Keys ready in a work queue, read at scrape time. */
  readonly workqueueDepth: Gauge<'queue'>;
  /** Always 1; the labels tell which wire codec runs and on how many threads. */
  readonly engineInfo: Gauge<'implementation' | 'threads'>;
  /** 1 while this process holds the leader lease, else 0. */
  readonly leader: Gauge<'identity'>;

  readonly #queues = new Map<string, () => number>();

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.bgpSessionUp = new Gauge({
      name: 'porter_bgp_session_up',
      help: '1 while the BGP session is Established, else 0.',
      labelNames: ['peer', 'node'],
      registers,
    });
    this.bgpAnnouncedPrefixes = new Gauge({
      name: 'porter_bgp_announced_prefixes',
      help: 'Prefixes announced to the peer.',
      labelNames: ['peer', 'node'],
      registers,
    });
    this.ipamAddressesInUse = new Gauge({
      name: 'porter_ipam_addresses_in_use',
      help: 'Addresses of the pool (Eip) allocated to Services.',
      labelNames: ['pool'],
      registers,
    });
    this.ipamAddressesTotal = new Gauge({
      name: 'porter_ipam_addresses_total',
      help: 'Addresses in the pool (Eip).',
      labelNames: ['pool'],
      registers,
    });
    this.reconcileDurationSeconds = new Histogram({
      name: 'porter_reconcile_duration_seconds',
      help: 'Time one reconcile took.',
      labelNames: ['reconciler'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers,
    });
    this.reconcileErrorsTotal = new Counter({
      name: 'porter_reconcile_errors_total',
      help: 'Reconciles that failed and were queued for a retry.',
      labelNames: ['reconciler'],
      registers,
    });
    const queues = this.#queues;
    this.workqueueDepth = new Gauge({
      name: 'porter_workqueue_depth',
      help: 'Keys waiting in the work queue.',
      labelNames: ['queue'],
      registers,
      collect() {
        for (const [queue, depth] of queues) this.set({ queue }, depth());
      },
    });
    this.engineInfo = new Gauge({
      name: 'porter_engine_info',
      help: 'Always 1; the labels name the wire codec implementation and its thread count.',
      labelNames: ['implementation', 'threads'],
      registers,
    });
    this.leader = new Gauge({
      name: 'porter_leader',
      help: '1 while this process is the leader, else 0.',
      labelNames: ['identity'],
      registers,
    });
  }

  /** A session's state: up is Established. */
  setSessionUp(peer: string, node: string, up: boolean): void {
    this.bgpSessionUp.set({ peer, node }, up ? 1 : 0);
  }

  setAnnouncedPrefixes(peer: string, node: string, count: number): void {
    this.bgpAnnouncedPrefixes.set({ peer, node }, count);
  }

  /** Drops a removed peer's series, so a gone peer does not read as down forever. */
  forgetPeer(peer: string, node: string): void {
    this.bgpSessionUp.remove({ peer, node });
    this.bgpAnnouncedPrefixes.remove({ peer, node });
  }

  setPoolUsage(pool: string, inUse: number, total: number): void {
    this.ipamAddressesInUse.set({ pool }, inUse);
    this.ipamAddressesTotal.set({ pool }, total);
  }

  /** Drops a deleted pool's series. */
  forgetPool(pool: string): void {
    this.ipamAddressesInUse.remove({ pool });
    this.ipamAddressesTotal.remove({ pool });
  }

  reconcileDuration(reconciler: string, seconds: number): void {
    this.reconcileDurationSeconds.observe({ reconciler }, seconds);
  }

  reconcileError(reconciler: string): void {
    this.reconcileErrorsTotal.inc({ reconciler });
  }

  /** Reports a queue's depth at every scrape; a second call for the same name replaces the first. */
  trackQueue(queue: string, depth: () => number): void {
    this.#queues.set(queue, depth);
  }

  /** Stops reporting a queue and drops its series. */
  untrackQueue(queue: string): void {
    this.#queues.delete(queue);
    this.workqueueDepth.remove({ queue });
  }

  /** Names the running wire codec: the only series of `porter_engine_info`. */
  setEngineInfo(implementation: string, threads: number): void {
    this.engineInfo.reset();
    this.engineInfo.set({ implementation, threads: String(threads) }, 1);
  }

  setLeader(identity: string, leading: boolean): void {
    this.leader.set({ identity }, leading ? 1 : 0);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition's content type, for an HTTP response. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The process's metrics, with a registry of their own. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new Metrics(options);
}
