import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeListPage } from './kube-list.ts';

/** A loopback stand-in for the API server that answers from `respond` and records each request. */
async function fakeApiServer(respond: (url: URL) => { status: number; body: unknown }) {
  const requests: { url: URL; authorization?: string }[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ url, authorization: request.headers.authorization });
    const { status, body } = respond(url);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'loopback', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    { name: 'porter', token: 'secret-token' },
  );
  return { kc, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('a page as plain JSON, with the query, the credentials and the continue token', async () => {
  const api = await fakeApiServer(() => ({
    status: 200,
    body: {
      kind: 'ServiceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', continue: 'next-page' },
      items: [{ metadata: { name: 'a', namespace: 'web', creationTimestamp: '2026-01-02T03:04:05Z' } }],
    },
  }));
  try {
    const result = await kubeListPage(api.kc)('/api/v1/services', { limit: 500, labelSelector: 'app=web', continue: undefined });
    assert.deepEqual(result, {
      ok: true,
      value: { items: [{ metadata: { name: 'a', namespace: 'web', creationTimestamp: '2026-01-02T03:04:05Z' } }], resourceVersion: '42', continue: 'next-page' },
    });
    const [request] = api.requests;
    assert.equal(request.url.pathname, '/api/v1/services');
    assert.deepEqual(Object.fromEntries(request.url.searchParams), { limit: '500', labelSelector: 'app=web' });
    assert.equal(request.authorization, 'Bearer secret-token');
  } finally {
    await api.close();
  }
});

test('an error answer becomes a value with the HTTP status and the Status reason', async () => {
  const api = await fakeApiServer(() => ({
    status: 410,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'The provided continue parameter is too old' },
  }));
  try {
    const result = await kubeListPage(api.kc)('/api/v1/nodes', { limit: 1, continue: 'stale' });
    assert.deepEqual(result, { ok: false, error: { code: 410, reason: 'Expired', message: 'The provided continue parameter is too old' } });
  } finally {
    await api.close();
  }
});

test('an unreachable server is a value too', async () => {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'nowhere', server: 'http://127.0.0.1:1', skipTLSVerify: true }, { name: 'porter' });
  const result = await kubeListPage(kc)('/api/v1/nodes', {});
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.code, undefined);
});
