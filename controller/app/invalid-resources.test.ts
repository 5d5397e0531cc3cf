/**
 * Resources of the wrong shape, as a manifest file can carry them past any schema, reach the
 * controller and a node speaker: each is reported in its own status, and the valid ones work.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IpamController } from '../reconcilers/ipam-controller.ts';
import { ManifestWriter } from '../runtime/manifest-writer.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import type { AnyObject, Kind } from '../runtime/types.ts';
import { NodeSpeaker } from '../speaker/node-speaker.ts';

const API = 'network.kubesphere.io/v1alpha2';

function load(store: MemoryStore, kind: Kind, objects: unknown[]): void {
  store.replace(kind, objects as AnyObject[]);
}

test('invalid Eips, BgpConf and BgpPeers are reported; valid pools and peers work on', { timeout: 60_000 }, async () => {
  const store = new MemoryStore();
  const writer = new ManifestWriter(store, {});
  load(store, 'Node', [{ metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.50' }], conditions: [{ type: 'Ready', status: 'True' }] } }]);
  load(store, 'Namespace', []);
  load(store, 'Secret', []);
  load(store, 'EndpointSlice', []);
  load(store, 'Eip', [
    { apiVersion: API, kind: 'Eip', metadata: { name: 'number' }, spec: { address: 123 } },
    { apiVersion: API, kind: 'Eip', metadata: { name: 'null' }, spec: null },
    { apiVersion: API, kind: 'Eip', metadata: { name: 'types' }, spec: { address: '192.0.3.0/24', priority: 'high', disable: 'yes' } },
    { apiVersion: API, kind: 'Eip', metadata: { name: 'good', annotations: { 'eip.openelb.kubesphere.io/is-default-eip': 'true' } }, spec: { address: '192.0.2.0/24' } },
  ]);
  load(store, 'BgpConf', [{ apiVersion: API, kind: 'BgpConf', metadata: { name: 'default' }, spec: { as: 65001, listenPort: -1 } }]);
  load(store, 'BgpPeer', [
    { apiVersion: API, kind: 'BgpPeer', metadata: { name: 'null-conf' }, spec: { conf: null } },
    { apiVersion: API, kind: 'BgpPeer', metadata: { name: 'no-spec' } },
    { apiVersion: API, kind: 'BgpPeer', metadata: { name: 'types' }, spec: { conf: { peerAs: 'x', neighborAddress: 5 }, afiSafis: 'q', nodeSelector: 7 } },
    { apiVersion: API, kind: 'BgpPeer', metadata: { name: 'good' }, spec: { conf: { peerAs: 65002, neighborAddress: '127.0.0.51' }, transport: { passiveMode: true } } },
  ]);
  load(store, 'Service', [{ metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }]);
  const controller = new IpamController({ store, writer, isDefault: true });
  controller.start();
  const speaker = new NodeSpeaker({ nodeName: 'n1', store, writer, isDefault: true });
  try {
    await speaker.start();
    await controller.idle();
    await speaker.whenIdle();
    const status = writer.snapshot();
    for (const name of ['number', 'null', 'types']) {
      const ready = status.eips[name]?.conditions?.find((condition) => condition.type === 'Ready');
      assert.equal(ready?.status, 'False', name);
      assert.match(ready?.message ?? '', /spec/, name);
    }
    assert.equal(status.eips.good?.usage, 1);
    assert.deepEqual(status.services['shop/web']?.ingress, [{ ip: '192.0.2.0' }]);
    for (const name of ['null-conf', 'no-spec', 'types']) {
      assert.match(status.bgpPeers[name]?.nodesPeerStatus?.n1?.lastError ?? '', /spec/, name);
    }
    assert.equal(status.bgpPeers.good?.nodesPeerStatus?.n1?.lastError, undefined);
    assert.deepEqual(speaker.announced(), ['192.0.2.0/32']);
    assert.ok(status.events.some((event) => event.reason === 'InvalidPeer'));
  } finally {
    await speaker.stop();
    await controller.stop();
    await writer.close();
  }
});
