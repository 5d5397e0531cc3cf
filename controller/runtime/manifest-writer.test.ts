import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import type { BgpPeer, Eip, NodePeerStatus } from '../api/types.ts';
import { withContentVersion } from './content-version.ts';
import { MemoryStore } from './memory-store.ts';
import { startManifestSource } from './manifest-source.ts';
import { ManifestWriter, type StatusFile, type WriterTimers } from './manifest-writer.ts';
import type { StoreEvent } from './types.ts';

class ManualTimers implements WriterTimers {
  #next = 0;
  readonly timers = new Map<number, () => void>();

  setTimeout(fire: () => void): unknown {
    this.timers.set(this.#next, fire);
    return this.#next++;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  fireAll(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const fire of due) fire();
  }
}

const service = (name: string): V1Service =>
  withContentVersion({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name }, spec: { type: 'LoadBalancer' } });
const eip = (name: string): Eip =>
  withContentVersion({ apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'Eip', metadata: { name }, spec: { address: '192.0.2.0/28' } });
const peer = (name: string): BgpPeer =>
  withContentVersion({
    apiVersion: 'network.kubesphere.io/v1alpha2',
    kind: 'BgpPeer',
    metadata: { name },
    spec: { conf: { peerAs: 65001, neighborAddress: '192.0.2.254' } },
  });
const peerStatus = (state: string): NodePeerStatus => ({ peerState: { sessionState: state, neighborAddress: '192.0.2.254', peerAs: 65001 } });

describe('ManifestWriter', () => {
  let dir: string;
  let store: MemoryStore;
  let events: StoreEvent[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porter-status-'));
    store = new MemoryStore();
    events = [];
    store.on('change', (event: StoreEvent) => events.push(event));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('sets a Service ingress as a new object with a new resourceVersion', async () => {
    const writer = new ManifestWriter(store);
    const original = service('web');
    store.apply('Service', original);
    await writer.setServiceIngress('default/web', ['192.0.2.1', '2001:db8::1']);
    const updated = store.get('Service', 'default/web');
    assert.deepEqual(updated?.status, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }] } });
    assert.notEqual(updated?.metadata?.resourceVersion, original.metadata?.resourceVersion);
    assert.equal(original.status, undefined, 'the stored object is not mutated');
    assert.deepEqual(
      events.map(({ type }) => type),
      ['added', 'modified'],
    );

    await writer.setServiceIngress('default/web', ['192.0.2.1', '2001:db8::1']);
    assert.equal(events.length, 2, 'the same status again changes nothing');

    await writer.setServiceIngress('default/web', []);
    assert.deepEqual(store.get('Service', 'default/web')?.status, { loadBalancer: {} });
    assert.deepEqual(writer.snapshot().services, {});
    await writer.close();
  });

  it('leaves an object that is not in the store alone', async () => {
    const writer = new ManifestWriter(store);
    await writer.setServiceIngress('default/none', ['192.0.2.1']);
    await writer.setEipStatus('none', { ready: true });
    assert.deepEqual(events, []);
    assert.deepEqual(writer.snapshot().services, {});
    assert.deepEqual(writer.snapshot().eips, {});
    await writer.close();
  });

  it('keeps each node entry of a BgpPeer status apart', async () => {
    const writer = new ManifestWriter(store);
    store.apply('BgpPeer', peer('tor'));
    await writer.setBgpPeerNodeStatus('tor', 'node-a', peerStatus('Established'));
    await writer.setBgpPeerNodeStatus('tor', 'node-b', peerStatus('Active'));
    await writer.setBgpPeerNodeStatus('tor', 'node-a', undefined);
    assert.deepEqual(store.get('BgpPeer', 'tor')?.status, { nodesPeerStatus: { 'node-b': peerStatus('Active') } });
    await writer.close();
  });

  it('sets Eip and BgpConf statuses whole', async () => {
    const writer = new ManifestWriter(store);
    store.apply('Eip', eip('pool'));
    store.apply('BgpConf', withContentVersion({ apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'BgpConf', metadata: { name: 'default' }, spec: { as: 65000 } }));
    await writer.setEipStatus('pool', { ready: true, usage: 1, poolSize: 16, used: { '192.0.2.1': 'default/web' } });
    await writer.setEipStatus('pool', { ready: true, usage: 0, poolSize: 16 });
    await writer.setBgpConfStatus('default', { nodesConfStatus: { 'node-a': { routerId: '192.0.2.10', as: 65000 } } });
    assert.deepEqual(store.get('Eip', 'pool')?.status, { ready: true, usage: 0, poolSize: 16 });
    assert.deepEqual(writer.snapshot().bgpConf, { default: { nodesConfStatus: { 'node-a': { routerId: '192.0.2.10', as: 65000 } } } });
    await writer.close();
  });

  it('finalizers change nothing', async () => {
    const writer = new ManifestWriter(store);
    store.apply('Service', service('web'));
    await writer.setServiceFinalizer('default/web', true);
    assert.equal(events.length, 1);
    await writer.close();
  });

  it('drops the status of a deleted object, so a recreated one starts without', async () => {
    const writer = new ManifestWriter(store);
    store.apply('Service', service('web'));
    await writer.setServiceIngress('default/web', ['192.0.2.1']);
    store.remove('Service', 'default/web');
    assert.deepEqual(writer.snapshot().services, {});
    store.apply('Service', writer.overlay('Service', service('web')));
    assert.equal(store.get('Service', 'default/web')?.status, undefined);
    await writer.close();
  });

  it('keeps statuses across rescans of the manifest directory', async () => {
    const manifests = join(dir, 'manifests');
    await mkdir(manifests);
    const file = join(manifests, 'web.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer }\n');
    const writer = new ManifestWriter(store);
    // No overlay option: the writer registered its own for the store.
    const source = await startManifestSource(manifests, store, { rescanIntervalMs: 0, watch: () => ({ close() {} }) });
    try {
      await writer.setServiceIngress('default/web', ['192.0.2.1']);
      events.length = 0;
      await source.rescan();
      assert.deepEqual(events, [], 'an unchanged file changes nothing');

      await writeFile(join(manifests, 'api.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { type: LoadBalancer }\n');
      await source.rescan();
      assert.deepEqual(
        events.map(({ type, key }) => `${type} ${key}`),
        ['added default/api'],
        'a change elsewhere leaves the status alone',
      );
      events.length = 0;

      await writeFile(file, 'apiVersion: v1\nkind: Service\nmetadata: { name: web, labels: { a: b } }\nspec: { type: LoadBalancer }\n');
      await source.rescan();
      assert.deepEqual(
        events.map(({ type }) => type),
        ['modified'],
      );
      assert.deepEqual(store.get('Service', 'default/web')?.status, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } });
    } finally {
      await source.stop();
      await writer.close();
    }
  });

  it('keeps the last events, each with its time', async () => {
    const recorded: string[] = [];
    const writer = new ManifestWriter(store, { maxEvents: 3, now: () => new Date(Date.UTC(2024, 0, 1)), onEvent: (event) => recorded.push(event.reason) });
    for (const reason of ['A', 'B', 'C', 'D']) await writer.event('Service', 'default/web', 'Normal', reason, `reason ${reason}`);
    const kept = writer.snapshot().events;
    assert.deepEqual(
      kept.map(({ reason }) => reason),
      ['B', 'C', 'D'],
    );
    assert.deepEqual(kept[0], { time: '2024-01-01T00:00:00.000Z', kind: 'Service', key: 'default/web', type: 'Normal', reason: 'B', message: 'reason B' });
    assert.deepEqual(recorded, ['A', 'B', 'C', 'D']);
    await writer.close();
  });

  it('writes the status file once per burst of changes, atomically', async () => {
    const statusFile = join(dir, 'status.json');
    const timers = new ManualTimers();
    const writer = new ManifestWriter(store, { statusFile, timers });
    store.apply('Service', service('web'));
    store.apply('Eip', eip('pool'));
    await writer.setServiceIngress('default/web', ['192.0.2.1']);
    await writer.setEipStatus('pool', { ready: true });
    await writer.event('Service', 'default/web', 'Normal', 'IPAllocated', '192.0.2.1 from pool');
    assert.equal(timers.timers.size, 1, 'one debounce timer for the burst');
    timers.fireAll();
    await writer.flush();
    const written = JSON.parse(await readFile(statusFile, 'utf8')) as StatusFile;
    assert.deepEqual(written.services, { 'default/web': { ingress: [{ ip: '192.0.2.1' }] } });
    assert.deepEqual(written.eips, { pool: { ready: true } });
    assert.deepEqual(written.bgpPeers, {});
    assert.deepEqual(written.bgpConf, {});
    assert.equal(written.events[0].reason, 'IPAllocated');
    assert.deepEqual(await readdir(dir), ['status.json'], 'no temporary file is left');
    await writer.close();
  });

  it('reports a failed write and writes again at the next change', async () => {
    const statusFile = join(dir, 'missing', 'status.json');
    const errors: string[] = [];
    const timers = new ManualTimers();
    const writer = new ManifestWriter(store, { statusFile, timers, onWriteError: (error) => errors.push((error as NodeJS.ErrnoException).code ?? '') });
    await writer.event('Node', 'n1', 'Warning', 'Test', 'x');
    await writer.flush();
    assert.deepEqual(errors, ['ENOENT']);
    await mkdir(join(dir, 'missing'));
    await writer.event('Node', 'n1', 'Warning', 'Test', 'y');
    await writer.close();
    const written = JSON.parse(await readFile(statusFile, 'utf8')) as StatusFile;
    assert.equal(written.events.length, 2);
  });
});
