import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { FINALIZER, type NodePeerStatus } from '../api/types.ts';
import { EVENT_DEDUP_WINDOW_MS, KubeWriteError, KubeWriter, pointerToken } from './kube-writer.ts';
import { MemoryStore } from './memory-store.ts';

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body: unknown;
}

type Answer = { status: number; body?: unknown };

/** A loopback stand-in for the API server: `respond` answers each request, all are recorded. */
async function fakeApiServer(respond: (request: Seen) => Answer = () => ({ status: 200 })) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const entry: Seen = {
        method: request.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: request.headers['content-type'],
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(entry);
      const answer = respond(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body ?? (answer.status < 300 ? { kind: 'Status', apiVersion: 'v1' } : status(answer.status))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'loopback', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    { name: 'porter', token: 'token' },
  );
  return { kc, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const REASONS: Record<number, string> = { 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Invalid' };

function status(code: number) {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: REASONS[code], message: `${REASONS[code]} for the test` };
}

async function withApi(respond: ((request: Seen) => Answer) | undefined, run: (api: Awaited<ReturnType<typeof fakeApiServer>>) => Promise<void>) {
  const api = await fakeApiServer(respond);
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

test('Service ingress: a merge patch of the status subresource, null for none', async () => {
  await withApi(undefined, async (api) => {
    const writer = new KubeWriter({ kc: api.kc });
    await writer.setServiceIngress('web/shop', ['192.0.2.10', '2001:db8::10']);
    await writer.setServiceIngress('web/shop', []);
    assert.deepEqual(api.seen, [
      {
        method: 'PATCH', path: '/api/v1/namespaces/web/services/shop/status', query: { fieldManager: 'porter' }, contentType: MERGE,
        body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { ip: '2001:db8::10' }] } } },
      },
      {
        method: 'PATCH', path: '/api/v1/namespaces/web/services/shop/status', query: { fieldManager: 'porter' }, contentType: MERGE,
        body: { status: { loadBalancer: { ingress: null } } },
      },
    ]);
  });
});

test('a status write to a deleted object succeeds; other failures name the object', async () => {
  await withApi((request) => ({ status: request.path.includes('gone') ? 404 : 403 }), async (api) => {
    const writer = new KubeWriter({ kc: api.kc });
    await writer.setServiceIngress('web/gone', ['192.0.2.10']);
    await writer.setEipStatus('gone', { ready: true });
    await writer.setBgpPeerNodeStatus('gone', 'node-1', undefined);
    await writer.setBgpConfStatus('gone', {});
    const cases: [string, () => Promise<void>, RegExp][] = [
      ['Service', () => writer.setServiceIngress('web/shop', []), /^patch status of Service web\/shop: 403 Forbidden/],
      ['Eip', () => writer.setEipStatus('pool', {}), /^patch status of Eip pool: 403/],
      ['BgpPeer', () => writer.setBgpPeerNodeStatus('tor', 'node-1', undefined), /^patch status of BgpPeer tor: 403/],
      ['BgpConf', () => writer.setBgpConfStatus('default', {}), /^patch status of BgpConf default: 403/],
      ['finalizer', () => writer.setServiceFinalizer('web/shop', true), /^add finalizer porter\.io\/ip-release on Service web\/shop: 403/],
      ['event', () => writer.event('Eip', 'pool', 'Warning', 'Overlap', 'overlaps pool b'), /^record event Overlap for Eip pool: 403/],
    ];
    for (const [name, write, message] of cases) {
      await assert.rejects(write, (error: unknown) => error instanceof KubeWriteError && error.code === 403 && message.test(error.message), name);
    }
  });
});

test('Eip status: a JSON patch that replaces the status exactly', async () => {
  await withApi(undefined, async (api) => {
    await new KubeWriter({ kc: api.kc }).setEipStatus('pool', { ready: true, usage: 1, poolSize: 256, used: { '192.0.2.1': 'web/shop' } });
    assert.deepEqual(api.seen, [{
      method: 'PATCH', path: '/apis/network.kubesphere.io/v1alpha2/eips/pool/status', query: {}, contentType: JSON_PATCH,
      body: [{ op: 'add', path: '/status', value: { ready: true, usage: 1, poolSize: 256, used: { '192.0.2.1': 'web/shop' } } }],
    }]);
  });
});

test("BgpPeer: a node replaces only its own entry, creates the map when absent, removes it with null", async () => {
  const entry = { peerState: { sessionState: 'Established', neighborAddress: '192.0.2.254', peerAs: 65001 } } as NodePeerStatus;
  let firstWrite = true;
  await withApi(
    (request) => {
      if (request.contentType === JSON_PATCH && firstWrite) {
        firstWrite = false;
        return { status: 422 };
      }
      return { status: 200 };
    },
    async (api) => {
      const writer = new KubeWriter({ kc: api.kc });
      await writer.setBgpPeerNodeStatus('tor', 'node/1', entry);
      await writer.setBgpPeerNodeStatus('tor', 'node/1', entry);
      await writer.setBgpPeerNodeStatus('tor', 'node/1', undefined);
      const path = '/apis/network.kubesphere.io/v1alpha2/bgppeers/tor/status';
      const add = { method: 'PATCH', path, query: {}, contentType: JSON_PATCH, body: [{ op: 'add', path: '/status/nodesPeerStatus/node~11', value: entry }] };
      assert.deepEqual(api.seen, [
        add,
        { method: 'PATCH', path, query: {}, contentType: MERGE, body: { status: { nodesPeerStatus: { 'node/1': entry } } } },
        add,
        { method: 'PATCH', path, query: {}, contentType: MERGE, body: { status: { nodesPeerStatus: { 'node/1': null } } } },
      ]);
    },
  );
});

test('JSON Pointer tokens escape ~ and /', () => {
  const table: [string, string][] = [['node-1', 'node-1'], ['a/b', 'a~1b'], ['a~b', 'a~0b'], ['~/', '~0~1']];
  for (const [segment, token] of table) assert.equal(pointerToken(segment), token);
});

test('BgpConf status: a merge patch, so other nodes keep their entries', async () => {
  await withApi(undefined, async (api) => {
    await new KubeWriter({ kc: api.kc }).setBgpConfStatus('default', { nodesConfStatus: { 'node-1': { routerId: '192.0.2.1', as: 65000 } } });
    assert.deepEqual(api.seen.map(({ path, contentType, body }) => ({ path, contentType, body })), [{
      path: '/apis/network.kubesphere.io/v1alpha2/bgpconfs/default/status', contentType: MERGE,
      body: { status: { nodesConfStatus: { 'node-1': { routerId: '192.0.2.1', as: 65000 } } } },
    }]);
  });
});

/** A Service the fake server keeps, with a resourceVersion that moves when `conflicts` says so. */
function serviceServer(finalizers: string[], conflicts: number) {
  let resourceVersion = 5;
  let left = conflicts;
  return (request: Seen): Answer => {
    if (request.method === 'GET') {
      return { status: 200, body: { kind: 'Service', apiVersion: 'v1', metadata: { name: 'shop', namespace: 'web', resourceVersion: String(resourceVersion), finalizers } } };
    }
    if (left > 0) {
      left -= 1;
      resourceVersion += 1;
      return { status: 409 };
    }
    return { status: 200, body: { kind: 'Service', apiVersion: 'v1', metadata: { name: 'shop', namespace: 'web' } } };
  };
}

test('finalizer: a merge patch of the fresh list under its resourceVersion, read again after a conflict', async () => {
  await withApi(serviceServer(['example.com/other'], 1), async (api) => {
    await new KubeWriter({ kc: api.kc }).setServiceFinalizer('web/shop', true);
    assert.deepEqual(api.seen.map(({ method, path, contentType, body }) => ({ method, path, contentType, body })), [
      { method: 'GET', path: '/api/v1/namespaces/web/services/shop', contentType: undefined, body: undefined },
      { method: 'PATCH', path: '/api/v1/namespaces/web/services/shop', contentType: MERGE, body: { metadata: { finalizers: ['example.com/other', FINALIZER], resourceVersion: '5' } } },
      { method: 'GET', path: '/api/v1/namespaces/web/services/shop', contentType: undefined, body: undefined },
      { method: 'PATCH', path: '/api/v1/namespaces/web/services/shop', contentType: MERGE, body: { metadata: { finalizers: ['example.com/other', FINALIZER], resourceVersion: '6' } } },
    ]);
  });
});

test('finalizer: nothing to do, removal of the last one, a deleted Service, endless conflicts', async () => {
  await withApi(serviceServer([FINALIZER], 0), async (api) => {
    const writer = new KubeWriter({ kc: api.kc });
    await writer.setServiceFinalizer('web/shop', true);
    assert.deepEqual(api.seen.map((request) => request.method), ['GET'], 'already there: no patch');
    await writer.setServiceFinalizer('web/shop', false);
    assert.deepEqual(api.seen.at(-1)?.body, { metadata: { finalizers: null, resourceVersion: '5' } });
  });
  await withApi(() => ({ status: 404 }), async (api) => {
    await new KubeWriter({ kc: api.kc }).setServiceFinalizer('web/shop', false);
    assert.equal(api.seen.length, 1);
  });
  await withApi(serviceServer([], 100), async (api) => {
    await assert.rejects(new KubeWriter({ kc: api.kc }).setServiceFinalizer('web/shop', true), /^KubeWriteError: add finalizer .* on Service web\/shop: 409/);
    assert.equal(api.seen.filter((request) => request.method === 'PATCH').length, 5);
  });
});

test('events: core/v1 with the object reference, a repeat within ten minutes counts, later ones are new', async () => {
  let now = Date.UTC(2026, 10, 26, 19, 0, 0);
  const store = new MemoryStore();
  store.apply('Service', { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'web', name: 'shop', uid: 'uid-1', resourceVersion: '7' } });
  await withApi(undefined, async (api) => {
    const writer = new KubeWriter({ kc: api.kc, store, reportingInstance: 'node-1', now: () => now });
    await writer.event('Service', 'web/shop', 'Normal', 'IPAllocated', 'allocated 192.0.2.10 from pool');
    const created = api.seen[0];
    assert.equal(created.method, 'POST');
    assert.equal(created.path, '/api/v1/namespaces/web/events');
    const event = created.body as Record<string, unknown> & { metadata: { name: string; namespace: string } };
    assert.match(event.metadata.name, /^shop\.[0-9a-f]+$/);
    assert.deepEqual({ ...event, metadata: { namespace: event.metadata.namespace } }, {
      metadata: { namespace: 'web' },
      involvedObject: { kind: 'Service', apiVersion: 'v1', name: 'shop', namespace: 'web', uid: 'uid-1', resourceVersion: '7' },
      type: 'Normal',
      reason: 'IPAllocated',
      message: 'allocated 192.0.2.10 from pool',
      count: 1,
      firstTimestamp: '2026-11-26T19:00:00.000Z',
      lastTimestamp: '2026-11-26T19:00:00.000Z',
      source: { component: 'porter.io/controller' },
      reportingComponent: 'porter.io/controller',
      reportingInstance: 'node-1',
    });

    now += 60_000;
    await writer.event('Service', 'web/shop', 'Normal', 'IPAllocated', 'allocated 192.0.2.10 from pool');
    assert.deepEqual(api.seen[1], {
      method: 'PATCH', path: `/api/v1/namespaces/web/events/${event.metadata.name}`, query: { fieldManager: 'porter' }, contentType: MERGE,
      body: { count: 2, lastTimestamp: '2026-11-26T19:01:00.000Z' },
    });

    await writer.event('Service', 'web/shop', 'Normal', 'IPAllocated', 'allocated 192.0.2.11 from pool');
    assert.equal(api.seen[2].method, 'POST', 'another message is another Event');

    now += EVENT_DEDUP_WINDOW_MS;
    await writer.event('Service', 'web/shop', 'Normal', 'IPAllocated', 'allocated 192.0.2.10 from pool');
    assert.equal(api.seen[3].method, 'POST', 'ten minutes later: a new Event');

    await writer.event('Eip', 'pool', 'Warning', 'Overlap', 'overlaps pool b');
    const eip = api.seen[4].body as { metadata: { namespace: string }; involvedObject: unknown };
    assert.equal(api.seen[4].path, '/api/v1/namespaces/default/events', 'cluster-scoped objects: Events in default');
    assert.deepEqual(eip.involvedObject, { kind: 'Eip', apiVersion: 'network.kubesphere.io/v1alpha2', name: 'pool' });
  });
});

test('events: a repeat of an Event the server has dropped creates it again', async () => {
  await withApi((request) => ({ status: request.method === 'PATCH' ? 404 : 201 }), async (api) => {
    const writer = new KubeWriter({ kc: api.kc, now: () => 1_000 });
    await writer.event('Node', 'node-1', 'Warning', 'NoRouterId', 'no IPv4 InternalIP');
    await writer.event('Node', 'node-1', 'Warning', 'NoRouterId', 'no IPv4 InternalIP');
    assert.deepEqual(api.seen.map((request) => request.method), ['POST', 'PATCH', 'POST']);
    const names = [api.seen[0], api.seen[2]].map((request) => (request.body as { metadata: { name: string } }).metadata.name);
    assert.notEqual(names[0], names[1], 'Events of the same millisecond get different names');
  });
});
