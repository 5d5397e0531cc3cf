/**
 * Fills a store from the Kubernetes API with the reflector's algorithm (client-go
 * tools/cache/reflector.go, and the JavaScript client's cache.ts): list each kind in pages, then
 * watch from the list's resourceVersion; a watch that ends resumes from the last resourceVersion
 * seen, and one whose resourceVersion has expired (410 Gone) relists. A relist hands the store the
 * whole list, and the store passes on only what changed, so a reconnect never replays the world.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { collectionPath, KIND_RESOURCES } from './kube-resources.ts';
import { kubeListPage, type Fetched, type KubeError, type ListPage, type ListPageFn, type ListQuery } from './kube-list.ts';
import { objectKey, type Kind, type KindMap, type ObjectKey } from './types.ts';

/** The store's write side, as the source drives it. */
export interface SourceStore {
  /** An object was added or modified. */
  apply<K extends Kind>(kind: K, object: KindMap[K]): void;
  remove(kind: Kind, key: ObjectKey): void;
  /** The complete list: the store emits the differences and marks the kind synced. */
  replace<K extends Kind>(kind: K, objects: KindMap[K][]): void;
}

/** One kind to list and watch, optionally narrowed by selectors (as `kubectl get -l/--field-selector`). */
export interface WatchedKind {
  kind: Kind;
  fieldSelector?: string;
  labelSelector?: string;
}

/** What the client's Watch class does; injected in tests. */
export interface WatchLike {
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    done: (error: unknown) => void,
  ): Promise<{ abort(): void }>;
}

/** Waits `ms`, or less if `signal` aborts; never rejects. */
export type Delay = (ms: number, signal: AbortSignal) => Promise<void>;

export interface KubeSourceOptions {
  kc: KubeConfig;
  store: SourceStore;
  kinds: WatchedKind[];
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
  delay?: Delay;
  watchFactory?: (kc: KubeConfig) => WatchLike;
  listPage?: ListPageFn;
  /** Items per list page; client-go's pager asks for 500. */
  pageSize?: number;
  /** The server ends each watch after this long, so a connection lost without a FIN is noticed. */
  watchTimeoutSeconds?: number;
}

export interface KubeSource {
  /** Resolves once every kind has been listed; rejects if the source stops first. */
  ready: Promise<void>;
  /** Ends every watch and waits for the loops to finish. */
  stop(): Promise<void>;
}

/** Reconnect backoff, doubling from the first to the cap (client-go's reflector: 800 ms .. 30 s). */
export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_WATCH_TIMEOUT_S = 300;

/** The wait before the n-th consecutive reconnect (n from 0). */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures, 16));
}

/** Starts listing and watching every kind into the store. */
export function startKubeSource(options: KubeSourceOptions): KubeSource {
  const { store, kinds } = options;
  const watcher = (options.watchFactory ?? ((kc: KubeConfig) => new Watch(kc)))(options.kc);
  const listPage = options.listPage ?? kubeListPage(options.kc);
  const delay = options.delay ?? realDelay;
  const log = options.logger;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const watchTimeoutSeconds = options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_S;
  const stopping = new AbortController();
  const cancels = new Set<() => void>();

  const unlisted = new Set(kinds.map((spec) => spec.kind));
  let markReady!: () => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // A caller that never awaits `ready` must not see an unhandled rejection when it stops early.
  ready.catch(() => undefined);
  if (unlisted.size === 0) markReady();

  async function run(spec: WatchedKind): Promise<void> {
    const { kind } = spec;
    const path = collectionPath(kind);
    const selectors = { labelSelector: spec.labelSelector, fieldSelector: spec.fieldSelector };
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!stopping.signal.aborted) {
      if (resourceVersion === undefined) {
        const listed = await listAll(listPage, path, selectors, pageSize, stopping.signal);
        if (stopping.signal.aborted) return;
        if (listed.ok) {
          store.replace(kind, listed.value.items.map((item) => stamp(kind, item)));
          resourceVersion = listed.value.resourceVersion;
          log?.debug({ kind, objects: listed.value.items.length, resourceVersion }, 'listed');
          if (unlisted.delete(kind) && unlisted.size === 0) markReady();
        } else {
          log?.warn({ kind, error: describe(listed.error) }, 'list failed; retrying');
        }
      }
      if (resourceVersion !== undefined) {
        const outcome = await watchOnce(spec, path, resourceVersion);
        if (stopping.signal.aborted) return;
        if (outcome.progressed) failures = 0;
        if (outcome.expired) {
          log?.info({ kind, resourceVersion }, 'resourceVersion expired; relisting');
          resourceVersion = undefined;
        } else {
          resourceVersion = outcome.resourceVersion;
          if (outcome.error !== undefined) log?.warn({ kind, error: describe(outcome.error) }, 'watch failed; resuming');
        }
      }
      await delay(backoffMs(failures), stopping.signal);
      failures += 1;
    }
  }

  interface WatchOutcome {
    resourceVersion: string;
    /** Some event arrived: the connection worked, so the backoff starts over. */
    progressed: boolean;
    expired: boolean;
    error?: unknown;
  }

  function watchOnce(spec: WatchedKind, path: string, from: string): Promise<WatchOutcome> {
    const { kind } = spec;
    return new Promise((resolve) => {
      const outcome: WatchOutcome = { resourceVersion: from, progressed: false, expired: false };
      let handle: { abort(): void } | undefined;
      let settled = false;
      const finish = (error: unknown): void => {
        if (settled) return;
        settled = true;
        cancels.delete(cancel);
        handle?.abort();
        if (isGone(error)) outcome.expired = true;
        else if (error !== null && error !== undefined && outcome.error === undefined) outcome.error = error;
        resolve(outcome);
      };
      const cancel = (): void => finish(null);
      cancels.add(cancel);
      const onEvent = (type: string, object: unknown): void => {
        if (settled) return;
        const metadata = (object as { metadata?: KindMap[Kind]['metadata'] } | undefined)?.metadata;
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
            store.apply(kind, stamp(kind, object));
            break;
          case 'DELETED':
            store.remove(kind, objectKey(metadata));
            break;
          case 'BOOKMARK':
            break;
          case 'ERROR': {
            // A Status object: 410 (Expired/Gone) when our resourceVersion fell out of the watch cache.
            const status = object as { code?: number; reason?: string; message?: string } | undefined;
            if (status?.code === 410) outcome.expired = true;
            else outcome.error = { code: status?.code, reason: status?.reason, message: status?.message ?? 'watch ERROR event' };
            finish(null);
            return;
          }
          default:
            return;
        }
        outcome.progressed = true;
        if (metadata?.resourceVersion) outcome.resourceVersion = metadata.resourceVersion;
      };
      const query = {
        resourceVersion: from,
        allowWatchBookmarks: true,
        timeoutSeconds: watchTimeoutSeconds,
        labelSelector: spec.labelSelector,
        fieldSelector: spec.fieldSelector,
      };
      watcher.watch(path, query, onEvent, finish).then(
        (started) => {
          if (settled) started.abort();
          else handle = started;
        },
        finish,
      );
    });
  }

  const loops = kinds.map((spec) => run(spec));

  return {
    ready,
    async stop() {
      if (!stopping.signal.aborted) {
        stopping.abort();
        for (const cancel of [...cancels]) cancel();
        if (unlisted.size > 0) failReady(new Error(`the Kubernetes source stopped before listing ${[...unlisted].join(', ')}`));
      }
      await Promise.all(loops);
    },
  };
}

/** Every page of a collection, as client-go's pager reads it. */
export async function listAll(
  listPage: ListPageFn,
  path: string,
  selectors: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>,
  pageSize: number,
  signal?: AbortSignal,
): Promise<Fetched<ListPage>> {
  const items: unknown[] = [];
  let limit: number | undefined = pageSize;
  let token: string | undefined;
  for (;;) {
    const page = await listPage(path, { ...selectors, limit, continue: token }, signal);
    if (!page.ok) {
      if (page.error.code === 410 && token !== undefined) {
        // The continue token outlived etcd's compaction: start over with one unpaged list (pager.go).
        items.length = 0;
        token = undefined;
        limit = undefined;
        continue;
      }
      return page;
    }
    for (const item of page.value.items) items.push(item);
    if (!page.value.continue) return { ok: true, value: { items, resourceVersion: page.value.resourceVersion } };
    token = page.value.continue;
  }
}

/** Lists leave `kind` and `apiVersion` out of their items; the store's objects carry them. */
function stamp<K extends Kind>(kind: K, item: unknown): KindMap[K] {
  return { ...(item as object), kind, apiVersion: KIND_RESOURCES[kind].apiVersion } as KindMap[K];
}

function isGone(error: unknown): boolean {
  const failure = error as { code?: number; statusCode?: number } | null | undefined;
  return failure?.code === 410 || failure?.statusCode === 410;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const failure = error as Partial<KubeError> | undefined;
  return [failure?.code, failure?.reason, failure?.message].filter((part) => part !== undefined).join(' ') || String(error);
}

async function realDelay(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
