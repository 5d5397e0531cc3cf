import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { MemoryStore } from './memory-store.ts';
import { backoffMs, startKubeSource, type WatchLike } from './kube-source.ts';
import type { Fetched, ListPage, ListPageFn, ListQuery } from './kube-list.ts';
import type { StoreEvent } from './types.ts';

interface Session {
  path: string;
  query: Record<string, unknown>;
  emit(type: string, object: unknown): void;
  end(error: unknown): void;
  aborted: boolean;
}

/** A watch whose sessions the test drives; `next()` waits for the source to open one. */
class FakeWatch implements WatchLike {
  readonly sessions: Session[] = [];
  #waiters: ((session: Session) => void)[] = [];

  async watch(path: string, query: Record<string, unknown>, onEvent: (type: string, object: unknown) => void, done: (error: unknown) => void) {
    const session: Session = { path, query, emit: onEvent, end: done, aborted: false };
    this.sessions.push(session);
    this.#waiters.shift()?.(session);
    return { abort: () => void (session.aborted = true) };
  }

  next(): Promise<Session> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

interface ListCall {
  path: string;
  query: ListQuery;
}

/** Answers list calls from a script of pages, in order. */
function scriptedLists(pages: Fetched<ListPage>[]): { listPage: ListPageFn; calls: ListCall[] } {
  const calls: ListCall[] = [];
  const listPage: ListPageFn = async (path, query) => {
    calls.push({ path, query });
    const page = pages.shift();
    if (!page) throw new Error(`unexpected list ${path}`);
    return page;
  };
  return { listPage, calls };
}

const page = (items: unknown[], resourceVersion: string, next?: string): Fetched<ListPage> => ({
  ok: true,
  value: { items, resourceVersion, ...(next ? { continue: next } : {}) },
});

const service = (name: string, resourceVersion: string, port = 80) => ({
  metadata: { namespace: 'web', name, resourceVersion },
  spec: { type: 'LoadBalancer', ports: [{ port }] },
});

const watched = (name: string, resourceVersion: string, port = 80) => ({ kind: 'Service', apiVersion: 'v1', ...service(name, resourceVersion, port) });

function recorder(store: MemoryStore): string[] {
  const seen: string[] = [];
  store.on('change', (event: StoreEvent) => seen.push(`${event.type} ${event.kind} ${event.key}`));
  return seen;
}

async function until(predicate: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !predicate(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(predicate(), 'condition not reached');
}

const kc = new KubeConfig();

test('backoff doubles from 1 s and is capped at 30 s', () => {
  const table: [number, number][] = [[0, 1_000], [1, 2_000], [2, 4_000], [4, 16_000], [5, 30_000], [6, 30_000], [60, 30_000]];
  for (const [failures, ms] of table) assert.equal(backoffMs(failures), ms, `after ${failures} failures`);
});

test('lists in pages, then applies watch events from the list resourceVersion', async () => {
  const store = new MemoryStore();
  const seen = recorder(store);
  const watch = new FakeWatch();
  const { listPage, calls } = scriptedLists([page([service('a', '5')], '10', 'token-1'), page([service('b', '7')], '10')]);
  const delays: number[] = [];
  const opened = watch.next();
  const source = startKubeSource({
    kc, store, kinds: [{ kind: 'Service', labelSelector: 'app=web' }], listPage, pageSize: 1,
    watchFactory: () => watch, delay: async (ms) => void delays.push(ms),
  });
  await source.ready;
  assert.deepEqual(calls, [
    { path: '/api/v1/services', query: { labelSelector: 'app=web', fieldSelector: undefined, limit: 1, continue: undefined } },
    { path: '/api/v1/services', query: { labelSelector: 'app=web', fieldSelector: undefined, limit: 1, continue: 'token-1' } },
  ]);
  assert.ok(store.synced('Service'));
  assert.deepEqual(store.get('Service', 'web/a'), watched('a', '5'), 'list items get kind and apiVersion');

  const session = await opened;
  assert.equal(session.path, '/api/v1/services');
  assert.equal(session.query.resourceVersion, '10');
  assert.equal(session.query.allowWatchBookmarks, true);
  assert.equal(session.query.labelSelector, 'app=web');
  session.emit('ADDED', watched('c', '11'));
  session.emit('MODIFIED', watched('a', '12', 8080));
  session.emit('MODIFIED', watched('a', '12', 8080));
  session.emit('DELETED', watched('b', '13'));
  session.emit('BOOKMARK', { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: '20' } });
  assert.deepEqual(seen, ['added Service web/a', 'added Service web/b', 'added Service web/c', 'modified Service web/a', 'deleted Service web/b']);

  // The server ends the watch: resume from the bookmark, without listing again.
  const resumed = watch.next();
  session.end(null);
  assert.equal((await resumed).query.resourceVersion, '20');
  assert.equal(calls.length, 2);
  assert.deepEqual(delays, [1_000]);
  await source.stop();
  assert.ok(watch.sessions.at(-1)?.aborted);
});

test('410 Gone relists, and only the differences reach the store', async () => {
  const store = new MemoryStore();
  const seen = recorder(store);
  const watch = new FakeWatch();
  const { listPage, calls } = scriptedLists([
    page([service('a', '5'), service('b', '6'), service('gone', '7')], '10'),
    page([service('a', '5'), service('b', '30', 443), service('new', '31')], '40'),
    page([service('a', '5'), service('b', '30', 443), service('new', '31')], '50'),
  ]);
  let opened = watch.next();
  const source = startKubeSource({ kc, store, kinds: [{ kind: 'Service' }], listPage, watchFactory: () => watch, delay: async () => undefined });
  await source.ready;
  seen.length = 0;

  // The expired resourceVersion as an ERROR event in the stream (the usual way).
  let session = await opened;
  opened = watch.next();
  session.emit('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 10 (25)' });
  assert.ok(session.aborted);
  session = await opened;
  assert.equal(calls.length, 2);
  assert.equal(session.query.resourceVersion, '40');
  assert.deepEqual(seen, ['modified Service web/b', 'added Service web/new', 'deleted Service web/gone']);

  // The same as an HTTP 410 answer to the watch request.
  seen.length = 0;
  opened = watch.next();
  session.end(Object.assign(new Error('Gone'), { statusCode: 410 }));
  session = await opened;
  assert.equal(calls.length, 3);
  assert.equal(session.query.resourceVersion, '50');
  assert.deepEqual(seen, [], 'an unchanged relist emits nothing');
  await source.stop();
});

test('failed watches resume from the last resourceVersion with capped backoff, reset by progress', async () => {
  const store = new MemoryStore();
  const watch = new FakeWatch();
  const { listPage, calls } = scriptedLists([page([], '100')]);
  const delays: number[] = [];
  let opened = watch.next();
  const source = startKubeSource({
    kc, store, kinds: [{ kind: 'Eip' }], listPage, watchFactory: () => watch, delay: async (ms) => void delays.push(ms),
  });
  await source.ready;
  for (let attempt = 0; attempt < 7; attempt += 1) {
    const session = await opened;
    assert.equal(session.path, '/apis/network.kubesphere.io/v1alpha2/eips');
    assert.equal(session.query.resourceVersion, '100');
    opened = watch.next();
    session.end(new Error('socket hang up'));
  }
  const session = await opened;
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  opened = watch.next();
  session.emit('ADDED', { apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'Eip', metadata: { name: 'pool', resourceVersion: '101' }, spec: { address: '192.0.2.0/24' } });
  session.end(new Error('socket hang up'));
  assert.equal((await opened).query.resourceVersion, '101');
  assert.equal(delays.at(-1), 1_000);
  assert.equal(calls.length, 1, 'a failed watch never relists');
  assert.equal(store.get('Eip', 'pool')?.spec.address, '192.0.2.0/24');
  await source.stop();
});

test('a failed list is retried with backoff; an expired continue token restarts with one full list', async () => {
  const store = new MemoryStore();
  const watch = new FakeWatch();
  const { listPage, calls } = scriptedLists([
    { ok: false, error: { code: 403, reason: 'Forbidden', message: 'nodes is forbidden' } },
    page([{ metadata: { name: 'n1', resourceVersion: '1' } }], '9', 'token'),
    { ok: false, error: { code: 410, reason: 'Expired', message: 'continue token too old' } },
    page([{ metadata: { name: 'n1', resourceVersion: '1' } }, { metadata: { name: 'n2', resourceVersion: '2' } }], '12'),
  ]);
  const delays: number[] = [];
  const opened = watch.next();
  const source = startKubeSource({
    kc, store, kinds: [{ kind: 'Node' }], listPage, pageSize: 1, watchFactory: () => watch, delay: async (ms) => void delays.push(ms),
  });
  await source.ready;
  assert.deepEqual(calls.map((call) => [call.query.limit, call.query.continue]), [[1, undefined], [1, undefined], [1, 'token'], [undefined, undefined]]);
  assert.deepEqual(delays, [1_000]);
  assert.deepEqual(store.list('Node').map((node) => node.metadata?.name), ['n1', 'n2']);
  assert.equal((await opened).query.resourceVersion, '12');
  await source.stop();
});

test('ready waits for every kind; stopping first rejects it and aborts the watches', async () => {
  const store = new MemoryStore();
  const watch = new FakeWatch();
  const pending: ((page: Fetched<ListPage>) => void)[] = [];
  const listPage: ListPageFn = (path) =>
    path === '/api/v1/services' ? Promise.resolve(page([], '1')) : new Promise((resolve) => pending.push(resolve));
  const opened = watch.next();
  const source = startKubeSource({ kc, store, kinds: [{ kind: 'Service' }, { kind: 'Node' }], listPage, watchFactory: () => watch, delay: async () => undefined });
  const session = await opened;
  assert.ok(store.synced('Service'));
  assert.equal(store.synced('Node'), false);
  const stopped = source.stop();
  await assert.rejects(source.ready, /before listing Node/);
  assert.ok(session.aborted);
  pending[0]?.(page([], '2'));
  await stopped;
  assert.equal(store.synced('Node'), false, 'a list answered after stop is dropped');
});

test('an unknown event type and events after the end are ignored', async () => {
  const store = new MemoryStore();
  const watch = new FakeWatch();
  const { listPage } = scriptedLists([page([], '1')]);
  const opened = watch.next();
  const source = startKubeSource({ kc, store, kinds: [{ kind: 'Namespace' }], listPage, watchFactory: () => watch, delay: async () => undefined });
  const session = await opened;
  session.emit('SOMETHING', { metadata: { name: 'x', resourceVersion: '2' } });
  session.end(null);
  session.emit('ADDED', { metadata: { name: 'late', resourceVersion: '3' } });
  await until(() => watch.sessions.length === 2);
  assert.equal(watch.sessions[1].query.resourceVersion, '1');
  assert.deepEqual(store.list('Namespace'), []);
  await source.stop();
});

test("with the client's own Watch and lister over loopback: list, then a watch stream from its resourceVersion", async () => {
  const requests: URL[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url);
    response.writeHead(200, { 'content-type': 'application/json' });
    if (url.searchParams.get('watch') !== 'true') {
      response.end(JSON.stringify({ kind: 'BgpPeerList', apiVersion: 'network.kubesphere.io/v1alpha2', metadata: { resourceVersion: '7' }, items: [] }));
      return;
    }
    if (requests.filter((seen) => seen.searchParams.get('watch') === 'true').length > 1) return; // a second watch stays open
    const peer = { apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'BgpPeer', metadata: { name: 'tor', resourceVersion: '8' }, spec: { conf: { peerAs: 65001, neighborAddress: '192.0.2.254' } } };
    response.write(`${JSON.stringify({ type: 'ADDED', object: peer })}\n`);
    response.end(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'BgpPeer', apiVersion: 'network.kubesphere.io/v1alpha2', metadata: { resourceVersion: '9' } } })}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const loopback = new KubeConfig();
  loopback.loadFromClusterAndUser({ name: 'loopback', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }, { name: 'u', token: 't' });
  const store = new MemoryStore();
  const source = startKubeSource({ kc: loopback, store, kinds: [{ kind: 'BgpPeer' }], delay: async () => undefined });
  try {
    await source.ready;
    await until(() => requests.filter((url) => url.searchParams.get('watch') === 'true').length === 2);
    const [list, first, second] = requests;
    assert.equal(list.pathname, '/apis/network.kubesphere.io/v1alpha2/bgppeers');
    assert.equal(list.searchParams.get('limit'), '500');
    assert.deepEqual(Object.fromEntries(first.searchParams), { watch: 'true', resourceVersion: '7', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    assert.equal(second.searchParams.get('resourceVersion'), '9', 'resumed from the bookmark');
    assert.equal(store.get('BgpPeer', 'tor')?.spec.conf.peerAs, 65001);
  } finally {
    await source.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
