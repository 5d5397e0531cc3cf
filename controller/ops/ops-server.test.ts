import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metrics } from './metrics.ts';
import { probe, startOpsServer, type OpsServer, type ProbeResult } from './ops-server.ts';

describe('startOpsServer', () => {
  const metrics = new Metrics({ defaultMetrics: false });
  let ready: () => ProbeResult = () => false;
  let healthy: () => ProbeResult = () => true;
  let server: OpsServer;

  before(async () => {
    server = await startOpsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: () => ready(), healthy: () => healthy() });
  });
  after(() => server.close());

  async function get(path: string, method = 'GET'): Promise<{ status: number; body: string; type: string | null }> {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, signal: AbortSignal.timeout(60_000) });
    return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
  }

  it('picks a port for port 0', () => {
    assert.ok(server.port > 0);
  });

  it('serves the metrics as Prometheus text', async () => {
    metrics.setLeader('pod-1', true);
    const response = await get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(response.body, /^porter_leader\{identity="pod-1"\} 1$/m);
  });

  const probes: [string, () => ProbeResult, () => ProbeResult, number, string][] = [
    ['/readyz', () => true, () => true, 200, 'ok\n'],
    ['/readyz', () => false, () => true, 503, 'not ready\n'],
    ['/readyz', () => ({ ok: false, reason: 'Service not synced\nyet' }), () => true, 503, 'Service not synced yet\n'],
    ['/readyz?verbose', () => ({ ok: true }), () => true, 200, 'ok\n'],
    ['/healthz', () => false, () => true, 200, 'ok\n'],
    ['/healthz', () => true, () => false, 503, 'unhealthy\n'],
    [
      '/healthz',
      () => true,
      () => {
        throw new Error('event loop stuck');
      },
      503,
      'event loop stuck\n',
    ],
  ];
  for (const [path, readyProbe, healthyProbe, status, body] of probes) {
    it(`${path} answers ${status} ${JSON.stringify(body)}`, async () => {
      ready = readyProbe;
      healthy = healthyProbe;
      const response = await get(path);
      assert.deepEqual({ status: response.status, body: response.body }, { status, body });
    });
  }

  it('answers 404 for other paths and 405 for other methods', async () => {
    healthy = () => true;
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/metrics/x')).status, 404);
    assert.equal((await get('/metrics', 'POST')).status, 405);
    assert.equal((await get('/healthz', 'HEAD')).status, 200);
  });
});

describe('probe', () => {
  it('defaults a probe without a reason to the fallback', () => {
    assert.deepEqual(probe(() => ({ ok: false }), 'unhealthy'), { ok: false, reason: 'unhealthy' });
    assert.deepEqual(probe(() => true, 'unhealthy'), { ok: true });
  });
});

describe('startOpsServer errors', () => {
  it('rejects when the port is taken', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const first = await startOpsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: () => true });
    try {
      await assert.rejects(startOpsServer({ host: '127.0.0.1', port: first.port, registry: metrics.registry, ready: () => true }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
