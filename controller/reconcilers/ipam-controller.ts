/**
 * The controller's reconcilers: Services get addresses from the Eip pools, and pools report their
 * usage. Keyed work queues carry one Service or one pool each, so an event touches only what it
 * names: a Service event reconciles that Service; a pool or namespace change re-tries only the
 * Services still waiting for an address.
 *
 * Allocation state lives in the API (each Service's `status.loadBalancer.ingress`); at start the
 * controller rebuilds its IPAM from it before it allocates anything, so a restart or a new leader
 * hands out nothing twice. The finalizer goes on before an address is written and comes off only
 * after the address is released, so an address is released exactly once.
 */
import type { V1Service } from '@kubernetes/client-node';
import { ownsService } from '../api/service-ownership.ts';
import { Ipam, type PoolReport } from '../ipam/ipam.ts';
import { serviceRequest } from '../ipam/service-request.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ClusterWriter, ReadStore, StoreEvent } from '../runtime/types.ts';
import { WorkQueue } from '../runtime/work-queue.ts';
import { poolConditions, sameStatus } from './pool-status.ts';
import { hasFinalizer, ingressAddresses, isDeleting, sameAddresses } from './service-status.ts';

export interface IpamControllerOptions {
  store: ReadStore;
  writer: ClusterWriter;
  /** Serve every Service of type LoadBalancer that names no other class. */
  isDefault: boolean;
  logger?: (entry: { event: string } & Record<string, unknown>) => void;
  metrics?: Metrics;
  /** Work queue options, for tests (a fake clock). */
  queue?: ConstructorParameters<typeof WorkQueue>[1];
}

/** Services reconciled at the same time (client-go controllers commonly run a handful of workers). */
const SERVICE_WORKERS = 8;

/** The kinds the controller must have listed before it may allocate. */
export const IPAM_KINDS = ['Service', 'Eip', 'Namespace'] as const;

export class IpamController {
  readonly ipam = new Ipam();
  readonly #options: IpamControllerOptions;
  readonly #services: WorkQueue;
  readonly #pools: WorkQueue;
  /** Services that asked and got nothing yet: re-tried when pools or namespaces change. */
  readonly #pending = new Set<string>();
  /** The last failure told per Service, so a retry that fails the same way adds no Event. */
  readonly #lastProblem = new Map<string, string>();
  readonly #reports = new Map<string, PoolReport>();
  readonly #onChange = (event: StoreEvent) => this.#changed(event);
  #started = false;

  constructor(options: IpamControllerOptions) {
    this.#options = options;
    // Several Services at once: each reconcile waits on a few API round trips, and allocation itself
    // is synchronous, so two Services never interleave inside the IPAM.
    this.#services = new WorkQueue((key) => this.#timed('service', () => this.#reconcileService(key)), {
      concurrency: SERVICE_WORKERS,
      ...options.queue,
    });
    this.#pools = new WorkQueue((key) => this.#timed('pool', () => this.#reconcilePool(key)), options.queue);
  }

  /** Rebuilds allocations from the store (which must have synced IPAM_KINDS), then reconciles. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { store } = this.#options;
    for (const kind of IPAM_KINDS) {
      if (!store.synced(kind)) throw new Error(`the store has not listed ${kind} objects yet`);
    }
    for (const namespace of store.list('Namespace')) {
      this.ipam.setNamespaceLabels(namespace.metadata?.name ?? '', namespace.metadata?.labels ?? {});
    }
    this.#applyPools();
    for (const service of store.list('Service')) this.#restore(service);
    store.on('change', this.#onChange);
    for (const service of store.list('Service')) this.#services.add(keyOf(service));
    for (const eip of store.list('Eip')) this.#pools.add(eip.metadata?.name ?? '');
    this.#services.start();
    this.#pools.start();
  }

  async stop(): Promise<void> {
    this.#options.store.off('change', this.#onChange);
    await Promise.all([this.#services.stop(), this.#pools.stop()]);
    this.#started = false;
  }

  /** Resolves when neither queue has a key ready or running, at the same moment. */
  async idle(): Promise<void> {
    while (!(this.#services.idle && this.#pools.idle)) {
      await Promise.all([this.#services.onIdle(), this.#pools.onIdle()]);
    }
  }

  /** Services waiting for an address. */
  pending(): string[] {
    return [...this.#pending].sort();
  }

  #changed(event: StoreEvent): void {
    switch (event.kind) {
      case 'Service':
        this.#services.add(event.key);
        break;
      case 'Eip':
        this.#applyPools();
        this.#pools.add(event.key);
        this.#retryPending();
        break;
      case 'Namespace':
        if (event.type === 'deleted') break;
        this.ipam.setNamespaceLabels(event.key, event.object.metadata?.labels ?? {});
        this.#retryPending();
        break;
      default:
        break;
    }
  }

  #retryPending(): void {
    for (const key of this.#pending) this.#services.add(key);
  }

  #restore(service: V1Service): void {
    const addresses = ingressAddresses(service);
    if (addresses.length === 0 || !this.#owns(service)) return;
    const request = serviceRequest(service);
    this.ipam.restore(keyOf(service), addresses, request.ok ? request.value : undefined);
  }

  #owns(service: V1Service): boolean {
    return ownsService(service, { isDefault: this.#options.isDefault });
  }

  /** Hands the current pools to the IPAM and tells each pool's verdict once, as an Event when it is a problem. */
  #applyPools(): void {
    const eips = this.#options.store.list('Eip');
    for (const report of this.ipam.setPools(eips)) {
      const before = this.#reports.get(report.name);
      if (before?.state === report.state && before.message === report.message) continue;
      const first = before === undefined;
      this.#reports.set(report.name, report);
      this.#pools.add(report.name);
      if (report.state === 'ready' || report.state === 'disabled') {
        if (!first) void this.#event('Eip', report.name, 'Normal', 'PoolReady', report.message);
      } else {
        void this.#event('Eip', report.name, 'Warning', POOL_REASONS[report.state], report.message);
      }
    }
    const names = new Set(eips.map((eip) => eip.metadata?.name ?? ''));
    for (const name of this.#reports.keys()) if (!names.has(name)) this.#reports.delete(name);
  }

  async #reconcileService(key: string): Promise<void> {
    const { store, writer } = this.#options;
    const service = store.get('Service', key);
    if (service === undefined) {
      // Gone from the API (in file mode, at once): whatever it held is free again.
      this.#forget(key);
      this.#releaseAndReport(key, undefined);
      return;
    }
    if (isDeleting(service) || !this.#owns(service)) {
      const released = this.#releaseAndReport(key, service);
      this.#forget(key);
      if (!isDeleting(service) && (released.length > 0 || ingressAddresses(service).length > 0) && !this.#othersClass(service)) {
        await writer.setServiceIngress(key, []);
      }
      if (hasFinalizer(service)) await writer.setServiceFinalizer(key, false);
      return;
    }
    const request = serviceRequest(service);
    if (!request.ok) {
      this.#pending.add(key);
      await this.#problem(key, 'InvalidRequest', request.error);
      return;
    }
    if (!hasFinalizer(service)) await writer.setServiceFinalizer(key, true);
    const result = this.ipam.allocate(request.value);
    if (!result.ok) {
      this.#pending.add(key);
      await this.#problem(key, result.error.reason, result.error.message);
      return;
    }
    this.#pending.delete(key);
    this.#lastProblem.delete(key);
    const addresses = result.value.addresses.map(({ ip }) => ip);
    if (!sameAddresses(addresses, ingressAddresses(service))) {
      await writer.setServiceIngress(key, addresses);
      const where = result.value.addresses.map(({ ip, pool }) => `${ip} from ${pool}`).join(', ');
      await this.#event('Service', key, 'Normal', 'IPAssigned', `assigned ${where}`);
    }
    for (const { pool } of result.value.addresses) this.#pools.add(pool);
  }

  /** A Service of another load balancer class keeps its ingress: that controller writes it. */
  #othersClass(service: V1Service): boolean {
    const cls = service.spec?.loadBalancerClass;
    return cls !== undefined && cls !== null && !this.#owns(service);
  }

  #forget(key: string): void {
    this.#pending.delete(key);
    this.#lastProblem.delete(key);
  }

  #releaseAndReport(key: string, service: V1Service | undefined): string[] {
    const held = this.ipam.allocationOf(key);
    const released = this.ipam.release(key);
    for (const { pool } of held ?? []) this.#pools.add(pool);
    if (released.length > 0) {
      const message = `released ${released.join(', ')}`;
      if (service !== undefined) void this.#event('Service', key, 'Normal', 'IPReleased', message);
      for (const { pool } of held ?? []) void this.#event('Eip', pool, 'Normal', 'IPReleased', `${message} of ${key}`);
      this.#retryPending();
    }
    return released;
  }

  async #problem(key: string, reason: string, message: string): Promise<void> {
    const told = `${reason}: ${message}`;
    if (this.#lastProblem.get(key) === told) return;
    this.#lastProblem.set(key, told);
    this.#log({ event: 'service-pending', service: key, reason, message });
    await this.#event('Service', key, 'Warning', reason, message);
  }

  async #reconcilePool(name: string): Promise<void> {
    // A burst of Services would otherwise rewrite the pool's status (its `used` map grows with each)
    // once per allocation; waiting for the Service queue to drain writes it once per burst.
    await this.#services.onIdle();
    const eip = this.#options.store.get('Eip', name);
    if (eip === undefined) {
      this.#options.metrics?.forgetPool(name);
      return;
    }
    const report = this.#reports.get(name);
    const status = { ...this.ipam.poolStatus(name), conditions: poolConditions(report, eip.status?.conditions, new Date()) };
    this.#options.metrics?.setPoolUsage(name, status.usage ?? 0, status.poolSize ?? 0);
    if (sameStatus(eip.status, status)) return;
    await this.#options.writer.setEipStatus(name, status);
  }

  async #event(kind: 'Service' | 'Eip', key: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    try {
      await this.#options.writer.event(kind, key, type, reason, message);
    } catch (error) {
      this.#log({ event: 'event-not-recorded', kind, key, reason, error: String(error) });
    }
  }

  async #timed(reconciler: string, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      this.#options.metrics?.reconcileError(reconciler);
      this.#log({ event: 'reconcile-failed', reconciler, error: String(error) });
      throw error;
    } finally {
      this.#options.metrics?.reconcileDuration(reconciler, (performance.now() - started) / 1000);
    }
  }

  #log(entry: { event: string } & Record<string, unknown>): void {
    this.#options.logger?.(entry);
  }
}

const POOL_REASONS = {
  invalid: 'InvalidPool',
  overlap: 'PoolOverlap',
  unsupported: 'UnsupportedProtocol',
} as const;

function keyOf(service: V1Service): string {
  return `${service.metadata?.namespace ?? 'default'}/${service.metadata?.name ?? ''}`;
}
