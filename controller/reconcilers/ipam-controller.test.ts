import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Namespace, V1Service } from '@kubernetes/client-node';
import { FINALIZER, LOAD_BALANCER_CLASS, type Eip, type EipStatus, type NodePeerStatus, type BgpConfStatus } from '../api/types.ts';
import { eip } from '../ipam/ipam-fixtures.ts';
import { ManifestWriter } from '../runtime/manifest-writer.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import type { ClusterWriter, EventType, Kind, ObjectKey } from '../runtime/types.ts';
import type { QueueClock } from '../runtime/work-queue.ts';
import { IpamController } from './ipam-controller.ts';
import { ingressAddresses } from './service-status.ts';

interface Call {
  method: 'ingress' | 'finalizer' | 'eip' | 'event';
  key: string;
  value: unknown;
}

/**
 * A writer that behaves like the API server for what the controller touches: statuses go through
 * a ManifestWriter into the store, finalizers are patched onto the stored Service, and a deleting
 * Service whose last finalizer goes is removed. Every call is recorded; `failNext` makes calls of
 * one method throw.
 */
class RecordingWriter implements ClusterWriter {
  readonly calls: Call[] = [];
  readonly #inner: ManifestWriter;
  readonly failures = new Map<Call['method'], number>();

  constructor(readonly store: MemoryStore) {
    this.#inner = new ManifestWriter(store, {});
  }

  failNext(method: Call['method'], times = 1): void {
    this.failures.set(method, times);
  }

  #record(call: Call): void {
    const left = this.failures.get(call.method) ?? 0;
    if (left > 0) {
      this.failures.set(call.method, left - 1);
      throw new Error(`injected ${call.method} failure`);
    }
    this.calls.push(call);
  }

  async setServiceIngress(key: ObjectKey, addresses: string[]): Promise<void> {
    this.#record({ method: 'ingress', key, value: [...addresses] });
    await this.#inner.setServiceIngress(key, addresses);
  }

  async setServiceFinalizer(key: ObjectKey, present: boolean): Promise<void> {
    this.#record({ method: 'finalizer', key, value: present });
    const service = this.store.get('Service', key);
    if (service === undefined) return;
    const others = (service.metadata?.finalizers ?? []).filter((name) => name !== FINALIZER);
    const finalizers = present ? [...others, FINALIZER] : others;
    if (!present && finalizers.length === 0 && service.metadata?.deletionTimestamp) {
      this.store.remove('Service', key);
      return;
    }
    this.store.apply('Service', { ...service, metadata: { ...service.metadata, finalizers } });
  }

  async setEipStatus(name: string, status: EipStatus): Promise<void> {
    this.#record({ method: 'eip', key: name, value: status });
    await this.#inner.setEipStatus(name, status);
  }

  async setBgpPeerNodeStatus(_name: string, _node: string, _status: NodePeerStatus | undefined): Promise<void> {
    throw new Error('the IPAM controller writes no BgpPeer status');
  }

  async setBgpConfStatus(_name: string, _status: BgpConfStatus): Promise<void> {
    throw new Error('the IPAM controller writes no BgpConf status');
  }

  async event(kind: Kind, key: ObjectKey, type: EventType, reason: string, message: string): Promise<void> {
    this.#record({ method: 'event', key: `${kind} ${key}`, value: { type, reason, message } });
  }

  of(method: Call['method'], key?: string): Call[] {
    return this.calls.filter((call) => call.method === method && (key === undefined || call.key === key));
  }

  events(reason?: string): { kind: string; key: string; type: string; reason: string; message: string }[] {
    return this.of('event')
      .map((call) => {
        const [kind, key] = call.key.split(' ');
        return { kind, key, ...(call.value as { type: string; reason: string; message: string }) };
      })
      .filter((event) => reason === undefined || event.reason === reason);
  }
}

/** A clock that moves only when told. */
class ManualClock implements QueueClock {
  #now = 0;
  #timers = new Map<number, { due: number; fire: () => void }>();
  #next = 0;

  now(): number {
    return this.#now;
  }

  setTimeout(fire: () => void, milliseconds: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { due: this.#now + milliseconds, fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds;
    for (const [id, timer] of [...this.#timers]) {
      if (timer.due > this.#now) continue;
      this.#timers.delete(id);
      timer.fire();
    }
  }
}

interface ServiceOptions {
  loadBalancerClass?: string | null;
  pool?: string;
  status?: string[];
  finalizer?: boolean;
}

function service(key: string, options: ServiceOptions = {}): V1Service {
  const [namespace, name] = key.split('/');
  const loadBalancerClass = options.loadBalancerClass === undefined ? LOAD_BALANCER_CLASS : options.loadBalancerClass;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      namespace,
      name,
      ...(options.pool ? { annotations: { 'eip.openelb.kubesphere.io/v1alpha2': options.pool } } : {}),
      ...(options.finalizer ? { finalizers: [FINALIZER] } : {}),
    },
    spec: {
      type: 'LoadBalancer',
      ...(loadBalancerClass === null ? {} : { loadBalancerClass }),
      ports: [{ protocol: 'TCP', port: 80 }],
    },
    ...(options.status ? { status: { loadBalancer: { ingress: options.status.map((ip) => ({ ip })) } } } : {}),
  };
}

function namespace(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

interface Setup {
  eips: Eip[];
  services?: V1Service[];
  isDefault?: boolean;
  clock?: QueueClock;
}

async function started(setup: Setup) {
  const store = new MemoryStore();
  store.replace('Namespace', [namespace('default'), namespace('shop')]);
  store.replace('Eip', setup.eips);
  store.replace('Service', setup.services ?? []);
  const writer = new RecordingWriter(store);
  const controller = new IpamController({
    store,
    writer,
    isDefault: setup.isDefault ?? false,
    ...(setup.clock ? { queue: { clock: setup.clock } } : {}),
  });
  controller.start();
  await controller.idle();
  return { store, writer, controller };
}

function ingressOf(store: MemoryStore, key: string): string[] {
  const stored = store.get('Service', key);
  return stored === undefined ? [] : ingressAddresses(stored);
}

function statusOf(store: MemoryStore, name: string): EipStatus {
  return store.get('Eip', name)?.status ?? {};
}

function ready(status: EipStatus) {
  const condition = status.conditions?.find((entry) => entry.type === 'Ready');
  return { status: condition?.status, reason: condition?.reason };
}

test('a Service of Porter\'s class gets an address from the pool it names, finalizer first', async () => {
  const { store, writer, controller } = await started({
    eips: [eip('a', '10.0.0.0/30'), eip('b', '10.1.0.0/30')],
    services: [service('shop/web', { pool: 'b' })],
  });
  try {
    assert.deepEqual(ingressOf(store, 'shop/web'), ['10.1.0.0']);
    const order = writer.calls.filter((call) => call.key === 'shop/web').map((call) => call.method);
    assert.deepEqual(order, ['finalizer', 'ingress']);
    assert.deepEqual(writer.of('finalizer', 'shop/web')[0].value, true);
    const assigned = writer.events('IPAssigned');
    assert.equal(assigned.length, 1);
    assert.equal(assigned[0].key, 'shop/web');
    assert.equal(assigned[0].type, 'Normal');
    assert.match(assigned[0].message, /10\.1\.0\.0 from b/);
    const b = statusOf(store, 'b');
    assert.equal(b.usage, 1);
    assert.deepEqual(b.used, { '10.1.0.0': 'shop/web' });
    assert.deepEqual(ready(b), { status: 'True', reason: 'Allocating' });
    assert.equal(statusOf(store, 'a').usage, 0);
    assert.deepEqual(ready(statusOf(store, 'a')), { status: 'True', reason: 'Allocating' });
    assert.deepEqual(controller.pending(), []);
  } finally {
    await controller.stop();
  }
});

test('Services that are not Porter\'s are left alone', async (t) => {
  const cases: { name: string; service: V1Service; isDefault: boolean }[] = [
    { name: 'another load balancer class', service: service('shop/other', { loadBalancerClass: 'example.com/lb', status: ['192.0.2.7'] }), isDefault: true },
    { name: 'no class while Porter is not the default', service: service('shop/other', { loadBalancerClass: null }), isDefault: false },
  ];
  for (const { name, service: other, isDefault } of cases) {
    await t.test(name, async () => {
      const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.0/30', { isDefault: true })], services: [other], isDefault });
      try {
        assert.deepEqual(writer.calls.filter((call) => call.key.includes('shop/other')), []);
        assert.equal(store.get('Service', 'shop/other'), other);
        assert.equal(statusOf(store, 'a').usage, 0);
        assert.deepEqual(controller.pending(), []);
      } finally {
        await controller.stop();
      }
    });
  }
});

test('an exhausted pool is told once; growing it serves the waiting Service and moves no other', async () => {
  const services = ['shop/s1', 'shop/s2', 'shop/s3'].map((key) => service(key));
  const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.1-10.0.0.2', { isDefault: true })], services });
  try {
    assert.deepEqual(controller.pending(), ['shop/s3']);
    assert.deepEqual(ingressOf(store, 'shop/s3'), []);
    assert.equal(statusOf(store, 'a').occupied, true);

    // Retries: a pool change and an edit of the waiting Service reconcile it again.
    const pool = store.get('Eip', 'a') as Eip;
    store.apply('Eip', { ...pool, metadata: { ...pool.metadata, labels: { touched: 'yes' } } });
    const s3 = store.get('Service', 'shop/s3') as V1Service;
    store.apply('Service', { ...s3, metadata: { ...s3.metadata, labels: { touched: 'yes' } } });
    await controller.idle();
    assert.deepEqual(writer.events().filter((event) => event.type === 'Warning').map((event) => event.reason), ['PoolExhausted']);
    const exhausted = writer.events('PoolExhausted');
    assert.equal(exhausted.length, 1);
    assert.equal(exhausted[0].key, 'shop/s3');
    assert.equal(exhausted[0].type, 'Warning');
    assert.deepEqual(controller.pending(), ['shop/s3']);

    const before = { s1: ingressOf(store, 'shop/s1'), s2: ingressOf(store, 'shop/s2') };
    store.apply('Eip', { ...eip('a', '10.0.0.1-10.0.0.3', { isDefault: true }), status: statusOf(store, 'a') });
    await controller.idle();
    assert.deepEqual(ingressOf(store, 'shop/s3'), ['10.0.0.3']);
    assert.deepEqual(controller.pending(), []);
    assert.deepEqual({ s1: ingressOf(store, 'shop/s1'), s2: ingressOf(store, 'shop/s2') }, before);
    assert.equal(writer.of('ingress', 'shop/s1').length, 1);
    assert.equal(writer.of('ingress', 'shop/s2').length, 1);
    assert.equal(statusOf(store, 'a').usage, 3);
    assert.equal(statusOf(store, 'a').poolSize, 3);
  } finally {
    await controller.stop();
  }
});

test('a deleted Service frees its address, and a waiting Service gets it', async () => {
  const services = ['shop/s1', 'shop/s2'].map((key) => service(key));
  const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.1/32', { isDefault: true })], services });
  try {
    assert.deepEqual(ingressOf(store, 'shop/s1'), ['10.0.0.1']);
    assert.deepEqual(controller.pending(), ['shop/s2']);
    store.remove('Service', 'shop/s1');
    await controller.idle();
    assert.deepEqual(ingressOf(store, 'shop/s2'), ['10.0.0.1']);
    assert.deepEqual(controller.pending(), []);
    assert.deepEqual(statusOf(store, 'a').used, { '10.0.0.1': 'shop/s2' });
    assert.ok(writer.events('IPReleased').some((event) => event.kind === 'Eip' && event.key === 'a'));
  } finally {
    await controller.stop();
  }
});

test('a deleted Service\'s usage drops', async () => {
  const { store, controller } = await started({ eips: [eip('a', '10.0.0.0/29', { isDefault: true })], services: [service('shop/s1'), service('shop/s2')] });
  try {
    assert.equal(statusOf(store, 'a').usage, 2);
    store.remove('Service', 'shop/s2');
    await controller.idle();
    assert.equal(statusOf(store, 'a').usage, 1);
    assert.deepEqual(statusOf(store, 'a').used, { '10.0.0.0': 'shop/s1' });
  } finally {
    await controller.stop();
  }
});

test('a Service being deleted has its address released before its finalizer goes', async () => {
  const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.0/29', { isDefault: true })], services: [service('shop/s1')] });
  try {
    const held = store.get('Service', 'shop/s1') as V1Service;
    assert.deepEqual(held.metadata?.finalizers, [FINALIZER]);
    store.apply('Service', { ...held, metadata: { ...held.metadata, deletionTimestamp: new Date('2024-06-01T00:00:00Z') } });
    await controller.idle();
    assert.deepEqual(writer.of('finalizer', 'shop/s1').map((call) => call.value), [true, false]);
    assert.equal(store.get('Service', 'shop/s1'), undefined);
    assert.equal(statusOf(store, 'a').usage, 0);
    const released = writer.events('IPReleased').filter((event) => event.kind === 'Service');
    assert.deepEqual(released.map((event) => event.key), ['shop/s1']);
    assert.equal(writer.of('ingress', 'shop/s1').length, 1, 'a deleting Service keeps its ingress until it is gone');
  } finally {
    await controller.stop();
  }
});

test('a restarted controller keeps every address in the Services\' status and allocates around them', async () => {
  const services = [
    service('shop/s1', { status: ['10.0.0.1'], finalizer: true }),
    service('shop/s3', { status: ['10.0.0.3'], finalizer: true }),
    service('default/other-pool', { status: ['10.1.0.0'], finalizer: true, pool: 'b' }),
    service('shop/new1'),
    service('shop/new2'),
  ];
  const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.1-10.0.0.9', { isDefault: true }), eip('b', '10.1.0.0/30')], services });
  try {
    for (const key of ['shop/s1', 'shop/s3', 'default/other-pool']) {
      assert.deepEqual(writer.calls.filter((call) => call.key === key), [], `${key} was written`);
    }
    assert.deepEqual(ingressOf(store, 'shop/s1'), ['10.0.0.1']);
    assert.deepEqual(ingressOf(store, 'shop/s3'), ['10.0.0.3']);
    const fresh = [ingressOf(store, 'shop/new1'), ingressOf(store, 'shop/new2')].flat().sort();
    assert.deepEqual(fresh, ['10.0.0.2', '10.0.0.4']);
    assert.equal(statusOf(store, 'a').usage, 4);
    assert.deepEqual(statusOf(store, 'b').used, { '10.1.0.0': 'default/other-pool' });
  } finally {
    await controller.stop();
  }
});

test('a restarted controller on a fully allocated store writes no Service at all', async () => {
  const first = await started({ eips: [eip('a', '10.0.0.0/28', { isDefault: true })], services: ['shop/a', 'shop/b', 'shop/c'].map((key) => service(key)) });
  await first.controller.stop();
  const before = first.store.list('Service');
  const store = new MemoryStore();
  store.replace('Namespace', [namespace('shop')]);
  store.replace('Eip', first.store.list('Eip'));
  store.replace('Service', before);
  const writer = new RecordingWriter(store);
  const controller = new IpamController({ store, writer, isDefault: false });
  controller.start();
  await controller.idle();
  try {
    assert.deepEqual(writer.calls.filter((call) => call.method !== 'event' || call.key.startsWith('Service')), []);
    assert.deepEqual(store.list('Service').map((entry) => ingressAddresses(entry)), before.map((entry) => ingressAddresses(entry)));
    assert.deepEqual(controller.ipam.allocationOf('shop/b'), first.controller.ipam.allocationOf('shop/b'));
  } finally {
    await controller.stop();
  }
});

test('a broken Eip is reported on its status and as a Warning; other pools and Services carry on', async (t) => {
  const cases = [
    { name: 'invalid address', bad: eip('bad', '10.0.0.300/32', { created: '2024-02-01T00:00:00Z' }), reason: 'InvalidAddress', event: 'InvalidPool' },
    { name: 'overlapping an older Eip', bad: eip('bad', '10.0.0.0/31', { created: '2024-02-01T00:00:00Z' }), reason: 'Overlap', event: 'PoolOverlap' },
  ];
  for (const { name, bad, reason, event } of cases) {
    await t.test(name, async () => {
      const { store, writer, controller } = await started({
        eips: [eip('good', '10.0.0.0/30', { isDefault: true }), bad],
        services: [service('shop/s1'), service('shop/named', { pool: 'bad' })],
      });
      try {
        assert.deepEqual(ready(statusOf(store, 'bad')), { status: 'False', reason });
        assert.deepEqual(ready(statusOf(store, 'good')), { status: 'True', reason: 'Allocating' });
        const warnings = writer.events(event);
        assert.equal(warnings.length, 1);
        assert.deepEqual([warnings[0].kind, warnings[0].key, warnings[0].type], ['Eip', 'bad', 'Warning']);
        assert.deepEqual(ingressOf(store, 'shop/s1'), ['10.0.0.0']);
        assert.deepEqual(controller.pending(), ['shop/named']);
        assert.deepEqual(ingressOf(store, 'shop/named'), []);
        assert.equal(writer.events().filter((entry) => entry.kind === 'Eip' && entry.key === 'good').length, 0);
      } finally {
        await controller.stop();
      }
    });
  }
});

test('a write that fails is retried by the queue and then succeeds', async () => {
  const clock = new ManualClock();
  const store = new MemoryStore();
  store.replace('Namespace', [namespace('shop')]);
  store.replace('Eip', [eip('a', '10.0.0.0/30', { isDefault: true })]);
  // With the finalizer already on, the ingress write is the only write, so nothing else requeues the Service.
  store.replace('Service', [service('shop/s1', { finalizer: true })]);
  const writer = new RecordingWriter(store);
  writer.failNext('ingress');
  const logged: { event: string }[] = [];
  const controller = new IpamController({ store, writer, isDefault: false, queue: { clock }, logger: (entry) => logged.push(entry) });
  controller.start();
  try {
    await controller.idle();
    assert.deepEqual(ingressOf(store, 'shop/s1'), []);
    assert.equal(writer.failures.get('ingress'), 0, 'the write was tried');
    assert.ok(logged.some((entry) => entry.event === 'reconcile-failed'));
    assert.ok(clock.pending >= 1, 'a retry is scheduled');
    clock.advance(60_000);
    await controller.idle();
    assert.deepEqual(ingressOf(store, 'shop/s1'), ['10.0.0.0']);
    assert.equal(writer.of('ingress', 'shop/s1').length, 1);
    assert.equal(writer.events('IPAssigned').length, 1);
    assert.equal(statusOf(store, 'a').usage, 1);
  } finally {
    await controller.stop();
  }
});

test('1,000 Services applied at once get distinct addresses, each written once', async () => {
  const { store, writer, controller } = await started({ eips: [eip('a', '10.0.0.0/22', { isDefault: true })] });
  try {
    const keys = Array.from({ length: 1000 }, (_, index) => `shop/s${index}`);
    store.replace('Service', keys.map((key) => service(key)));
    await controller.idle();
    const writes = writer.of('ingress');
    assert.equal(writes.length, 1000);
    assert.equal(new Set(writes.map((call) => call.key)).size, 1000);
    const addresses = keys.map((key) => ingressOf(store, key));
    assert.ok(addresses.every((list) => list.length === 1));
    assert.equal(new Set(addresses.flat()).size, 1000);
    assert.equal(writer.of('finalizer').length, 1000);
    // The pool's status is written once for the burst, not once per Service.
    assert.ok(writer.of('eip', 'a').length <= 3, `${writer.of('eip', 'a').length} Eip status writes`);
    assert.equal(statusOf(store, 'a').usage, 1000);
    assert.deepEqual(controller.pending(), []);
  } finally {
    await controller.stop();
  }
});
