/**
 * The ClusterWriter over the Kubernetes API. Every write is one small patch that names only the
 * fields Porter owns, so it never races a user's edit of a spec:
 * - Service ingress: a JSON merge patch (RFC 7386) of `status.loadBalancer.ingress`, a list the
 *   patch replaces whole.
 * - Eip status: a JSON patch (RFC 6902) `add /status`, which replaces the status exactly; only the
 *   leader writes it, and a merge patch could not drop addresses freed since the last write.
 * - BgpPeer: each node writes its own `status.nodesPeerStatus.<node>` entry, replaced exactly by a
 *   JSON patch `add` and removed by a merge patch of null, so nodes never overwrite each other.
 * - BgpConf status: a merge patch, so each node's `nodesConfStatus` entry survives the others'.
 * - The finalizer: a merge patch of the whole list read fresh, with its resourceVersion as a
 *   precondition (409 on a concurrent change, then read again).
 * - Events: core/v1 Events that `kubectl describe` shows; a repeat within ten minutes bumps the
 *   count of the Event it repeats, as client-go's EventCorrelator does.
 * A status write to an object deleted meanwhile (404) succeeds: there is nothing left to report on.
 */
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
  type V1ObjectReference,
} from '@kubernetes/client-node';
import { FINALIZER, type BgpConfStatus, type EipStatus, type NodePeerStatus } from '../api/types.ts';
import { CUSTOM, KIND_RESOURCES, splitKey } from './kube-resources.ts';
import type { ClusterWriter, EventType, Kind, ObjectKey, ReadStore } from './types.ts';

/** The component Events name as their source (`reportingComponent`). */
export const REPORTING_CONTROLLER = 'porter.io/controller';
/** The field manager Porter's patches record in managedFields. */
export const FIELD_MANAGER = 'porter';
/** A repeat of an Event within this window bumps its count instead of creating another. */
export const EVENT_DEDUP_WINDOW_MS = 10 * 60_000;
/** Events remembered for deduplication (client-go's EventCorrelator keeps an LRU of 4096). */
const EVENT_CACHE_SIZE = 4096;
/** Attempts at a finalizer change that keeps meeting concurrent writes. */
const FINALIZER_ATTEMPTS = 5;
/** The API server rejects Event messages above 1 kB (validation.NoteLengthLimit). */
const MESSAGE_LIMIT = 1024;

/** A failed write, naming the object: `patch status of Service web/shop: 403 Forbidden ...`. */
export class KubeWriteError extends Error {
  /** The HTTP status, absent for network errors. */
  readonly code: number | undefined;

  constructor(action: string, kind: Kind, key: ObjectKey, cause: unknown) {
    const detail = cause instanceof ApiException ? `${cause.code} ${apiMessage(cause.body)}` : ((cause as Error)?.message ?? String(cause));
    super(`${action} ${kind} ${key}: ${detail}`, { cause });
    this.name = 'KubeWriteError';
    this.code = cause instanceof ApiException ? cause.code : undefined;
  }
}

export interface KubeWriterOptions {
  kc: KubeConfig;
  /** Where an Event's object gets its uid, which `kubectl describe` needs to find the Event. */
  store?: Pick<ReadStore, 'get'>;
  /** This process, for Events (`reportingInstance`): the Pod or node name. */
  reportingInstance?: string;
  now?: () => number;
}

interface RecentEvent {
  namespace: string;
  name: string;
  count: number;
  last: number;
}

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** Writes Porter's status, finalizers and Events through the Kubernetes API. */
export class KubeWriter implements ClusterWriter {
  readonly #core: CoreV1Api;
  readonly #custom: CustomObjectsApi;
  readonly #store: Pick<ReadStore, 'get'> | undefined;
  readonly #instance: string;
  readonly #now: () => number;
  readonly #recent = new Map<string, RecentEvent>();
  #sequence = 0;

  constructor(options: KubeWriterOptions) {
    this.#core = options.kc.makeApiClient(CoreV1Api);
    this.#custom = options.kc.makeApiClient(CustomObjectsApi);
    this.#store = options.store;
    this.#instance = options.reportingInstance ?? 'porter';
    this.#now = options.now ?? Date.now;
  }

  /** Sets `status.loadBalancer.ingress` to exactly these addresses. */
  async setServiceIngress(key: ObjectKey, addresses: string[]): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ingress = addresses.length > 0 ? addresses.map((ip) => ({ ip })) : null;
    await this.#status('Service', key, () =>
      this.#core.patchNamespacedServiceStatus({ namespace, name, body: { status: { loadBalancer: { ingress } } }, fieldManager: FIELD_MANAGER }, MERGE),
    );
  }

  /** Adds or removes Porter's finalizer, retrying on concurrent changes; a deleted Service needs none. */
  async setServiceFinalizer(key: ObjectKey, present: boolean): Promise<void> {
    const { namespace, name } = splitKey(key);
    const action = `${present ? 'add' : 'remove'} finalizer ${FINALIZER} on`;
    for (let attempt = 1; ; attempt += 1) {
      let finalizers: string[];
      let resourceVersion: string | undefined;
      try {
        const service = await this.#core.readNamespacedService({ namespace, name });
        finalizers = service.metadata?.finalizers ?? [];
        resourceVersion = service.metadata?.resourceVersion;
      } catch (error) {
        if (isNotFound(error)) return;
        throw new KubeWriteError(action, 'Service', key, error);
      }
      if (finalizers.includes(FINALIZER) === present) return;
      const next = present ? [...finalizers, FINALIZER] : finalizers.filter((finalizer) => finalizer !== FINALIZER);
      // resourceVersion in a patch is a precondition: the server answers 409 if the object moved on.
      const body = { metadata: { finalizers: next.length > 0 ? next : null, resourceVersion } };
      try {
        await this.#core.patchNamespacedService({ namespace, name, body, fieldManager: FIELD_MANAGER }, MERGE);
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!(isConflict(error) && attempt < FINALIZER_ATTEMPTS)) throw new KubeWriteError(action, 'Service', key, error);
      }
    }
  }

  /** Replaces an Eip's status. */
  async setEipStatus(name: string, status: EipStatus): Promise<void> {
    const body = [{ op: 'add', path: '/status', value: status }];
    await this.#status('Eip', name, () => this.#custom.patchClusterCustomObjectStatus({ ...CUSTOM, plural: 'eips', name, body }, JSON_PATCH));
  }

  /** Replaces or removes one node's entry in a BgpPeer's `status.nodesPeerStatus`. */
  async setBgpPeerNodeStatus(name: string, node: string, status: NodePeerStatus | undefined): Promise<void> {
    const patch = (body: unknown, options: typeof MERGE) =>
      this.#custom.patchClusterCustomObjectStatus({ ...CUSTOM, plural: 'bgppeers', name, body }, options);
    const merge = { status: { nodesPeerStatus: { [node]: status ?? null } } };
    if (status === undefined) {
      await this.#status('BgpPeer', name, () => patch(merge, MERGE));
      return;
    }
    await this.#status('BgpPeer', name, async () => {
      try {
        await patch([{ op: 'add', path: `/status/nodesPeerStatus/${pointerToken(node)}`, value: status }], JSON_PATCH);
      } catch (error) {
        // 422: the map (or the whole status) is not there yet, so there is no old entry to leave behind.
        if (!(error instanceof ApiException && error.code === 422)) throw error;
        await patch(merge, MERGE);
      }
    });
  }

  /** Merges into a BgpConf's status. */
  async setBgpConfStatus(name: string, status: BgpConfStatus): Promise<void> {
    await this.#status('BgpConf', name, () =>
      this.#custom.patchClusterCustomObjectStatus({ ...CUSTOM, plural: 'bgpconfs', name, body: { status } }, MERGE),
    );
  }

  /** Records an Event about the object, or counts a repeat of a recent identical one. */
  async event(kind: Kind, key: ObjectKey, type: EventType, reason: string, message: string): Promise<void> {
    const now = this.#now();
    const text = message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 3)}...` : message;
    const identity = JSON.stringify([kind, key, type, reason, text]);
    const recent = this.#recent.get(identity);
    if (recent && now - recent.last < EVENT_DEDUP_WINDOW_MS) {
      try {
        const body = { count: recent.count + 1, lastTimestamp: new Date(now).toISOString() };
        await this.#core.patchNamespacedEvent({ namespace: recent.namespace, name: recent.name, body, fieldManager: FIELD_MANAGER }, MERGE);
        this.#remember(identity, { ...recent, count: recent.count + 1, last: now });
        return;
      } catch (error) {
        // The Event expired (the API server keeps them an hour by default): record a new one.
        if (!isNotFound(error)) throw new KubeWriteError(`record event ${reason} for`, kind, key, error);
      }
    }
    const body = this.#newEvent(kind, key, type, reason, text, now);
    try {
      await this.#core.createNamespacedEvent({ namespace: body.metadata.namespace ?? 'default', body });
    } catch (error) {
      throw new KubeWriteError(`record event ${reason} for`, kind, key, error);
    }
    this.#remember(identity, { namespace: body.metadata.namespace ?? 'default', name: body.metadata.name ?? '', count: 1, last: now });
  }

  #newEvent(kind: Kind, key: ObjectKey, type: EventType, reason: string, message: string, now: number): CoreV1Event {
    const { namespace, name } = splitKey(key);
    const involvedObject: V1ObjectReference = { kind, apiVersion: KIND_RESOURCES[kind].apiVersion, name, ...(namespace ? { namespace } : {}) };
    const known = this.#store?.get(kind, key)?.metadata;
    if (known?.uid) involvedObject.uid = known.uid;
    if (known?.resourceVersion) involvedObject.resourceVersion = known.resourceVersion;
    // client-go's naming: the object's name and the time in hexadecimal nanoseconds; the sequence
    // keeps two Events of the same millisecond apart.
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000);
    const at = new Date(now);
    return {
      // Events about cluster-scoped objects live in `default`, as client-go's recorder puts them.
      metadata: { name: `${name}.${nanos.toString(16)}`, namespace: namespace || 'default' },
      involvedObject,
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: REPORTING_CONTROLLER },
      reportingComponent: REPORTING_CONTROLLER,
      reportingInstance: this.#instance,
    };
  }

  #remember(identity: string, event: RecentEvent): void {
    this.#recent.delete(identity);
    this.#recent.set(identity, event);
    if (this.#recent.size <= EVENT_CACHE_SIZE) return;
    // Map order is insertion order and every use reinserts: the first entry is the least recent.
    const oldest = this.#recent.keys().next().value;
    if (oldest !== undefined) this.#recent.delete(oldest);
  }

  async #status(kind: Kind, key: ObjectKey, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isNotFound(error)) return;
      throw new KubeWriteError('patch status of', kind, key, error);
    }
  }
}

/** A JSON Pointer reference token (RFC 6901 section 3): `~` and `/` escaped. */
export function pointerToken(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

/** The message of the Status the API server answered with; the client leaves its body as text. */
function apiMessage(body: unknown): string {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.slice(0, 300);
    }
  }
  const status = parsed as { reason?: string; message?: string } | undefined;
  return [status?.reason, status?.message].filter(Boolean).join(': ') || 'no message';
}
