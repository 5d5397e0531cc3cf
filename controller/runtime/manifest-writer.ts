/**
 * The `ClusterWriter` of standalone mode (`porter run --manifests DIR`). A status write becomes a
 * new object in the store, with the status set and a new content-hash resourceVersion, so the
 * reconcilers see it as they would see the API server's answer and its watch event. Everything
 * written also goes to a JSON status file, for people and scripts to read:
 *
 *   { services: { 'ns/name': { ingress: [{ ip }] } }, eips: { name: EipStatus },
 *     bgpPeers: { name: BgpPeerStatus }, bgpConf: { name: BgpConfStatus },
 *     events: [{ time, kind, key, type, reason, message }] }   (the last 200 events)
 *
 * The file is written debounced, and atomically (a temporary file renamed over it), so a reader
 * never sees half of it.
 *
 * The statuses are kept apart from the manifests' objects and laid over them (`overlay`), which the
 * manifest source applies at every rescan (the writer registers it for its store; see
 * status-overlay.ts): re-reading a file must not wipe an assigned address. A status is dropped when its object is deleted, as the API server drops it with the
 * object.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { V1LoadBalancerIngress, V1ServiceStatus } from '@kubernetes/client-node';
import type { BgpConfStatus, BgpPeerStatus, EipStatus, NodePeerStatus } from '../api/types.ts';
import { withContentVersion } from './content-version.ts';
import type { MemoryStore } from './memory-store.ts';
import { registerStatusOverlay, unregisterStatusOverlay, type StatusOverlay } from './status-overlay.ts';
import { objectKey, type ClusterWriter, type EventType, type Kind, type KindMap, type ObjectKey, type StoreEvent } from './types.ts';

/** One Event, as the status file lists it. */
export interface RecordedEvent {
  /** RFC 3339. */
  time: string;
  /** `Manifest` for a problem with a file rather than an object; `key` is then the file. */
  kind: Kind | 'Manifest';
  key: ObjectKey;
  type: EventType;
  reason: string;
  message: string;
}

/** The status file's content. */
export interface StatusFile {
  services: Record<ObjectKey, { ingress: V1LoadBalancerIngress[] }>;
  eips: Record<string, EipStatus>;
  bgpPeers: Record<string, BgpPeerStatus>;
  bgpConf: Record<string, BgpConfStatus>;
  events: RecordedEvent[];
}

/** Timers for the write debounce; tests pass manual ones. */
export interface WriterTimers {
  setTimeout(fire: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ManifestWriterOptions {
  /** Where the status file goes; without one, statuses live in the store only. */
  statusFile?: string;
  /** Quiet time before the file is written. Default 100 ms. */
  debounceMs?: number;
  /** Events kept. Default 200. */
  maxEvents?: number;
  /** Told of each Event recorded (for logs). */
  onEvent?: (event: RecordedEvent) => void;
  /** Told when the status file cannot be written; writing is tried again at the next change. */
  onWriteError?: (error: Error) => void;
  now?: () => Date;
  timers?: WriterTimers;
}

/** Kinds whose status this writer sets. */
type StatusKind = 'Service' | 'Eip' | 'BgpPeer' | 'BgpConf';
type StatusOf<K extends StatusKind> = NonNullable<KindMap[K]['status']>;

const realTimers: WriterTimers = {
  setTimeout: (fire, milliseconds) => setTimeout(fire, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Writes statuses into the store and the status file; see the file comment. */
export class ManifestWriter implements ClusterWriter {
  readonly #store: MemoryStore;
  readonly #options: ManifestWriterOptions;
  readonly #timers: WriterTimers;
  readonly #statuses = new Map<StatusKind, Map<ObjectKey, unknown>>();
  readonly #events: RecordedEvent[] = [];
  readonly #onChange = (event: StoreEvent): void => this.#forgetDeleted(event);
  readonly #overlay: StatusOverlay = (kind, object) => this.overlay(kind, object);
  #debounce: unknown;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: MemoryStore, options: ManifestWriterOptions = {}) {
    this.#store = store;
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    store.on('change', this.#onChange);
    registerStatusOverlay(store, this.#overlay);
  }

  /** The object with the status this writer set for it, if any; the manifest source's `overlay`. */
  overlay<K extends Kind>(kind: K, object: KindMap[K]): KindMap[K] {
    const status = this.#statuses.get(kind as StatusKind)?.get(objectKey(object.metadata));
    if (status === undefined) return object;
    return withContentVersion({ ...object, status } as KindMap[K]);
  }

  async setServiceIngress(key: ObjectKey, addresses: string[]): Promise<void> {
    this.#setStatus('Service', key, (status: V1ServiceStatus) => ({
      ...status,
      loadBalancer: addresses.length > 0 ? { ingress: addresses.map((ip) => ({ ip })) } : {},
    }));
  }

  /**
   * Nothing to do: a finalizer holds an object back from deletion until its addresses are released,
   * but a document removed from a manifest is gone at once; the controller releases its address on
   * the `deleted` event instead.
   */
  async setServiceFinalizer(_key: ObjectKey, _present: boolean): Promise<void> {}

  async setEipStatus(name: string, status: EipStatus): Promise<void> {
    this.#setStatus('Eip', name, () => status);
  }

  async setBgpPeerNodeStatus(name: string, node: string, status: NodePeerStatus | undefined): Promise<void> {
    this.#setStatus('BgpPeer', name, (current: BgpPeerStatus) => {
      const nodesPeerStatus = { ...current.nodesPeerStatus };
      if (status === undefined) delete nodesPeerStatus[node];
      else nodesPeerStatus[node] = status;
      return { ...current, nodesPeerStatus };
    });
  }

  async setBgpConfStatus(name: string, status: BgpConfStatus): Promise<void> {
    this.#setStatus('BgpConf', name, () => status);
  }

  /** A file the manifest source could not read whole, as a Warning the status file lists. */
  manifestProblem(problem: { file: string; document?: number; message: string }): Promise<void> {
    const where = problem.document === undefined ? '' : `document ${problem.document}: `;
    return this.event('Manifest', problem.file, 'Warning', 'InvalidManifest', `${where}${problem.message}`);
  }

  async event(kind: Kind | 'Manifest', key: ObjectKey, type: EventType, reason: string, message: string): Promise<void> {
    const event: RecordedEvent = { time: (this.#options.now?.() ?? new Date()).toISOString(), kind, key, type, reason, message };
    this.#events.push(event);
    this.#events.splice(0, Math.max(0, this.#events.length - (this.#options.maxEvents ?? 200)));
    this.#options.onEvent?.(event);
    this.#changed();
  }

  /** What the status file holds (or would hold). */
  snapshot(): StatusFile {
    const services: StatusFile['services'] = {};
    for (const [key, status] of this.#kindStatuses('Service')) {
      const ingress = status.loadBalancer?.ingress ?? [];
      if (ingress.length > 0) services[key] = { ingress };
    }
    return {
      services,
      eips: Object.fromEntries(this.#kindStatuses('Eip')),
      bgpPeers: Object.fromEntries(this.#kindStatuses('BgpPeer')),
      bgpConf: Object.fromEntries(this.#kindStatuses('BgpConf')),
      events: [...this.#events],
    };
  }

  /** Writes the status file now if anything changed, after any write under way. */
  flush(): Promise<void> {
    if (this.#debounce !== undefined) {
      this.#timers.clearTimeout(this.#debounce);
      this.#debounce = undefined;
    }
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  /** Stops following the store and writes what is pending. */
  async close(): Promise<void> {
    this.#store.off('change', this.#onChange);
    unregisterStatusOverlay(this.#store, this.#overlay);
    await this.flush();
  }

  /** Sets a status from the current one; an object not in the store is left alone, as a 404 would. */
  #setStatus<K extends StatusKind>(kind: K, key: ObjectKey, next: (current: StatusOf<K>) => StatusOf<K>): void {
    const object = this.#store.get(kind, key);
    if (object === undefined) return;
    const status = next((object.status ?? {}) as StatusOf<K>);
    let statuses = this.#statuses.get(kind);
    if (!statuses) {
      statuses = new Map();
      this.#statuses.set(kind, statuses);
    }
    statuses.set(key, status);
    this.#store.apply(kind, this.overlay(kind, object));
    this.#changed();
  }

  #kindStatuses<K extends StatusKind>(kind: K): [ObjectKey, StatusOf<K>][] {
    return [...(this.#statuses.get(kind) ?? new Map())] as [ObjectKey, StatusOf<K>][];
  }

  #forgetDeleted(event: StoreEvent): void {
    if (event.type !== 'deleted') return;
    if (this.#statuses.get(event.kind as StatusKind)?.delete(event.key)) this.#changed();
  }

  #changed(): void {
    this.#dirty = true;
    if (this.#options.statusFile === undefined || this.#debounce !== undefined) return;
    this.#debounce = this.#timers.setTimeout(() => {
      this.#debounce = undefined;
      void this.flush();
    }, this.#options.debounceMs ?? 100);
  }

  async #write(): Promise<void> {
    const file = this.#options.statusFile;
    if (file === undefined || !this.#dirty) return;
    this.#dirty = false;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
      await rename(temporary, file);
    } catch (error) {
      this.#dirty = true;
      this.#options.onWriteError?.(error as Error);
    }
  }
}
