import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { MemoryStore } from './memory-store.ts';
import type { StoreEvent } from './types.ts';

function service(name: string, resourceVersion: string, port = 80): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name, resourceVersion },
    spec: { type: 'LoadBalancer', ports: [{ port }] },
  };
}

function recorder(store: MemoryStore): string[] {
  const seen: string[] = [];
  store.on('change', (event: StoreEvent) => seen.push(`${event.type} ${event.kind} ${event.key}`));
  return seen;
}

describe('MemoryStore', () => {
  it('adds, modifies and removes objects, emitting one event each', () => {
    const store = new MemoryStore();
    const seen = recorder(store);
    const first = service('web', '1');
    store.apply('Service', first);
    const second = service('web', '2', 8080);
    store.apply('Service', second);
    assert.equal(store.get('Service', 'default/web'), second);
    store.remove('Service', 'default/web');
    store.remove('Service', 'default/web');
    assert.equal(store.get('Service', 'default/web'), undefined);
    assert.deepEqual(seen, ['added Service default/web', 'modified Service default/web', 'deleted Service default/web']);
  });

  it('passes the old object with modified and the last state with deleted', () => {
    const store = new MemoryStore();
    const events: StoreEvent[] = [];
    store.on('change', (event: StoreEvent) => events.push(event));
    const first = service('web', '1');
    const second = service('web', '2');
    store.apply('Service', first);
    store.apply('Service', second);
    store.remove('Service', 'default/web');
    assert.equal(events[1].old, first);
    assert.equal(events[1].object, second);
    assert.equal(events[2].object, second);
  });

  it('ignores an object equal to the stored one, even as a new instance', () => {
    const store = new MemoryStore();
    const seen = recorder(store);
    store.apply('Service', service('web', '1'));
    store.apply('Service', service('web', '1'));
    assert.deepEqual(seen, ['added Service default/web']);
  });

  it('keeps kinds apart and lists in insertion order', () => {
    const store = new MemoryStore();
    store.apply('Service', service('b', '1'));
    store.apply('Service', service('a', '1'));
    store.apply('Node', { metadata: { name: 'a' } });
    assert.deepEqual(
      store.list('Service').map((object) => object.metadata?.name),
      ['b', 'a'],
    );
    assert.equal(store.list('Node').length, 1);
    assert.deepEqual(store.list('Eip'), []);
    assert.equal(store.get('Node', 'a')?.metadata?.name, 'a');
  });

  it('replace emits the differences only and then marks the kind synced', () => {
    const store = new MemoryStore();
    store.apply('Service', service('kept', '1'));
    store.apply('Service', service('changed', '1'));
    store.apply('Service', service('gone', '1'));
    const seen = recorder(store);
    const synced: string[] = [];
    store.on('synced', (kind: string) => synced.push(kind));
    assert.equal(store.synced('Service'), false);

    store.replace('Service', [service('kept', '1'), service('changed', '2'), service('new', '1')]);

    assert.deepEqual(seen, ['modified Service default/changed', 'added Service default/new', 'deleted Service default/gone']);
    assert.equal(store.synced('Service'), true);
    assert.equal(store.synced('Eip'), false);
    assert.deepEqual(synced, ['Service']);
    assert.deepEqual(store.list('Service').map((object) => object.metadata?.name).sort(), ['changed', 'kept', 'new']);

    store.replace('Service', [service('kept', '1'), service('changed', '2'), service('new', '1')]);
    assert.equal(seen.length, 3, 'an identical relist emits nothing');
    assert.deepEqual(synced, ['Service'], 'synced is announced once');
  });

  it('an empty replace marks a kind synced with nothing in it', () => {
    const store = new MemoryStore();
    store.replace('Eip', []);
    assert.equal(store.synced('Eip'), true);
    assert.deepEqual(store.list('Eip'), []);
  });

  it('listeners of a replace see the whole listed state', () => {
    const store = new MemoryStore();
    const sizes: number[] = [];
    store.on('change', () => sizes.push(store.list('Service').length));
    store.replace('Service', [service('a', '1'), service('b', '1')]);
    assert.deepEqual(sizes, [2, 2]);
  });

  it('keys cluster-scoped objects by name', () => {
    const store = new MemoryStore();
    store.apply('Eip', {
      apiVersion: 'network.kubesphere.io/v1alpha2',
      kind: 'Eip',
      metadata: { name: 'pool' },
      spec: { address: '192.0.2.0/24' },
    });
    assert.equal(store.get('Eip', 'pool')?.spec.address, '192.0.2.0/24');
  });
});
