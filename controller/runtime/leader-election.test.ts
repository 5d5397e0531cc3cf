import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import {
  formatMicroTime,
  kubeLeaseClient,
  startLeaderElection,
  type Clock,
  type LeaseClient,
  type LeaseRecord,
  type LeaseResult,
  type StoredLease,
} from './leader-election.ts';

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Time that moves only when the test advances it. */
class FakeClock implements Clock {
  time = Date.UTC(2026, 10, 26, 19, 0, 0);
  #timers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = { at: this.time + ms, wake: () => resolve() };
      this.#timers.push(timer);
      signal.addEventListener('abort', () => {
        this.#timers = this.#timers.filter((other) => other !== timer);
        resolve();
      }, { once: true });
    });
  }

  /** Moves time forward, waking each sleeper at its moment and letting it run before the next. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      const next = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.wake();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** One Lease in memory, with optimistic concurrency like the API server's. */
class LeaseServer {
  lease: StoredLease | undefined;
  #version = 0;
  /** Identities whose writes fail: 'conflict' answers 409, 'down' a network error. */
  readonly failing = new Map<string, 'conflict' | 'down'>();

  client(identity: string): LeaseClient {
    const guard = (): LeaseResult<never> | undefined => {
      const failure = this.failing.get(identity);
      if (failure === 'conflict') return { ok: false, code: 409, error: 'Conflict' };
      if (failure === 'down') return { ok: false, error: 'connection refused' };
      return undefined;
    };
    return {
      get: async () => (this.failing.get(identity) === 'down' ? { ok: false, error: 'connection refused' } : { ok: true, value: this.lease && structuredClone(this.lease) }),
      create: async (record) => guard() ?? (this.lease ? { ok: false, code: 409, error: 'AlreadyExists' } : { ok: true, value: this.#store(record) }),
      update: async (record, resourceVersion) =>
        guard() ?? (this.lease?.resourceVersion !== resourceVersion ? { ok: false, code: 409, error: 'Conflict' } : { ok: true, value: this.#store(record) }),
    };
  }

  #store(record: LeaseRecord): StoredLease {
    this.#version += 1;
    this.lease = { record: { ...record }, resourceVersion: String(this.#version) };
    return structuredClone(this.lease);
  }
}

function candidate(server: LeaseServer, clock: FakeClock, identity: string) {
  const log: string[] = [];
  const election = startLeaderElection(
    { leaseClient: server.client(identity), namespace: 'porter-system', name: 'porter-controller', identity, clock },
    {
      onStartedLeading: () => log.push('started'),
      onStoppedLeading: () => log.push('stopped'),
      onNewLeader: (leader) => log.push(`leader ${leader}`),
    },
  );
  return { election, log };
}

test('of two candidates one leads and keeps renewing; the other stands by', async () => {
  const server = new LeaseServer();
  const clock = new FakeClock();
  const a = candidate(server, clock, 'a');
  await clock.advance(0);
  const b = candidate(server, clock, 'b');
  await clock.advance(60_000);
  assert.equal(a.election.isLeader(), true);
  assert.equal(b.election.isLeader(), false);
  assert.deepEqual(a.log, ['leader a', 'started']);
  assert.deepEqual(b.log, ['leader a']);
  assert.equal(server.lease?.record.holderIdentity, 'a');
  assert.equal(server.lease?.record.renewTime, clock.now(), 'renewed every retry period');
  assert.equal(server.lease?.record.leaseTransitions, 0);
  await Promise.all([a.election.stop(), b.election.stop()]);
});

test('a leader that stops releases the Lease and a stand-by takes over at its next retry', async () => {
  const server = new LeaseServer();
  const clock = new FakeClock();
  const a = candidate(server, clock, 'a');
  await clock.advance(0);
  const b = candidate(server, clock, 'b');
  await clock.advance(5_000);
  await a.election.stop();
  assert.deepEqual(a.log, ['leader a', 'started', 'stopped']);
  assert.equal(server.lease?.record.holderIdentity, '');
  const released = clock.now();
  await clock.advance(2_000);
  assert.equal(b.election.isLeader(), true);
  assert.deepEqual(b.log, ['leader a', 'leader b', 'started']);
  assert.equal(server.lease?.record.holderIdentity, 'b');
  assert.equal(server.lease?.record.leaseTransitions, 1);
  const acquired = server.lease?.record.acquireTime ?? 0;
  assert.ok(acquired > released && acquired <= released + 2_000, 'within one retry period of the release');
  await b.election.stop();
});

test('a leader that vanishes is replaced once its lease expires, not before', async () => {
  const server = new LeaseServer();
  const clock = new FakeClock();
  const a = candidate(server, clock, 'a');
  await clock.advance(0);
  const b = candidate(server, clock, 'b');
  await clock.advance(1_000);
  server.failing.set('a', 'down');
  const lastRenew = server.lease?.record.renewTime ?? 0;
  await clock.advance(10_000);
  assert.equal(a.election.isLeader(), false, 'no renewal for the renew deadline: a steps down');
  assert.deepEqual(a.log, ['leader a', 'started', 'stopped']);
  assert.equal(b.election.isLeader(), false, 'the lease has not expired yet');
  await clock.advance(8_000);
  assert.equal(b.election.isLeader(), true);
  const acquired = server.lease?.record.acquireTime ?? 0;
  assert.ok(acquired - lastRenew > 15_000 && acquired - lastRenew <= 15_000 + 2_000, 'after the lease duration, within one retry period');
  assert.equal(server.lease?.record.leaseTransitions, 1);
  await Promise.all([a.election.stop(), b.election.stop()]);
});

test('a leader whose renewals keep conflicting steps down after the renew deadline', async () => {
  const server = new LeaseServer();
  const clock = new FakeClock();
  const a = candidate(server, clock, 'a');
  await clock.advance(0);
  server.failing.set('a', 'conflict');
  await clock.advance(8_000);
  assert.equal(a.election.isLeader(), true, 'still inside the renew deadline');
  await clock.advance(2_000);
  assert.equal(a.election.isLeader(), false);
  assert.deepEqual(a.log, ['leader a', 'started', 'stopped']);
  server.failing.delete('a');
  await clock.advance(2_000);
  assert.equal(a.election.isLeader(), true, 'the Lease still names a, so it campaigns and leads again');
  await a.election.stop();
});

test('a leader that sees another holder in the Lease steps down at once', async () => {
  const server = new LeaseServer();
  const clock = new FakeClock();
  const a = candidate(server, clock, 'a');
  await clock.advance(0);
  const lease = server.lease as StoredLease;
  server.lease = { record: { ...lease.record, holderIdentity: 'intruder', renewTime: clock.now() }, resourceVersion: '99' };
  await clock.advance(2_000);
  assert.equal(a.election.isLeader(), false);
  assert.deepEqual(a.log, ['leader a', 'started', 'leader intruder', 'stopped']);
  await a.election.stop();
  assert.deepEqual(a.log, ['leader a', 'started', 'leader intruder', 'stopped'], 'no second onStoppedLeading');
});

test('a renewal that hangs past the renew deadline counts as failed', async () => {
  const clock = new FakeClock();
  const server = new LeaseServer();
  const inner = server.client('a');
  let hang = false;
  const client: LeaseClient = { ...inner, get: () => (hang ? new Promise(() => undefined) : inner.get()) };
  let stopped = 0;
  const election = startLeaderElection(
    { leaseClient: client, namespace: 'ns', name: 'lease', identity: 'a', clock },
    { onStartedLeading: () => undefined, onStoppedLeading: () => void (stopped += 1) },
  );
  await clock.advance(0);
  assert.equal(election.isLeader(), true);
  hang = true;
  await clock.advance(10_000);
  assert.equal(election.isLeader(), false);
  assert.equal(stopped, 1);
  await election.stop();
});

test('timings must leave room: leaseDuration > renewDeadline > retryPeriod', () => {
  const callbacks = { onStartedLeading: () => undefined, onStoppedLeading: () => undefined };
  const base = { leaseClient: new LeaseServer().client('a'), namespace: 'ns', name: 'n', identity: 'a' };
  assert.throws(() => startLeaderElection({ ...base, leaseDurationSeconds: 10, renewDeadlineSeconds: 10 }, callbacks), /leaseDuration > renewDeadline/);
  assert.throws(() => startLeaderElection({ ...base, renewDeadlineSeconds: 2, retryPeriodSeconds: 2 }, callbacks), /renewDeadline > retryPeriod/);
});

test('MicroTime: RFC 3339 with six fractional digits', () => {
  assert.equal(formatMicroTime(Date.UTC(2026, 10, 26, 19, 0, 0, 123)), '2026-11-26T19:00:00.123000Z');
  assert.equal(formatMicroTime(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00.000000Z');
});

test('kubeLeaseClient: MicroTime on the wire, 404 as no Lease, 409 as a conflict', async () => {
  const seen: { method: string; path: string; body: unknown }[] = [];
  const leaseJson = (resourceVersion: string) => ({
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: 'porter', namespace: 'ns', resourceVersion },
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2026-11-26T19:00:00.123456Z', renewTime: '2026-11-26T19:00:01.000000Z', leaseTransitions: 2 },
  });
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', path: request.url ?? '', body: text ? JSON.parse(text) : undefined });
      const answers: Record<string, [number, unknown]> = {
        GET: [404, { kind: 'Status', apiVersion: 'v1', code: 404, reason: 'NotFound' }],
        POST: [201, leaseJson('1')],
        PUT: [409, { kind: 'Status', apiVersion: 'v1', code: 409, reason: 'Conflict', message: 'the object has been modified' }],
      };
      const [status, body] = answers[request.method ?? 'GET'];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'loopback', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }, { name: 'u', token: 't' });
    const client = kubeLeaseClient(kc, 'ns', 'porter');
    assert.deepEqual(await client.get(), { ok: true, value: undefined });
    const record = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: Date.UTC(2026, 10, 26, 19, 0, 0, 123), renewTime: Date.UTC(2026, 10, 26, 19, 0, 1), leaseTransitions: 2 };
    const created = await client.create(record);
    assert.deepEqual(created, {
      ok: true,
      value: { resourceVersion: '1', record: { ...record, acquireTime: Date.parse('2026-11-26T19:00:00.123Z') } },
    });
    assert.deepEqual(seen[1], {
      method: 'POST', path: '/apis/coordination.k8s.io/v1/namespaces/ns/leases',
      body: {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'porter', namespace: 'ns' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2026-11-26T19:00:00.123000Z', renewTime: '2026-11-26T19:00:01.000000Z', leaseTransitions: 2 },
      },
    });
    const updated = await client.update(record, '1');
    assert.equal(updated.ok, false);
    if (!updated.ok) assert.equal(updated.code, 409);
    assert.equal(seen[2].method, 'PUT');
    assert.equal(seen[2].path, '/apis/coordination.k8s.io/v1/namespaces/ns/leases/porter');
    assert.equal((seen[2].body as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '1');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
