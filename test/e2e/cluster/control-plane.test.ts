/**
 * Smoke test of the end-to-end control plane: a real kube-apiserver serves Porter's CRDs, enforces
 * their CEL rules (which need the IP and CIDR libraries of Kubernetes 1.31 or later), and takes
 * Services of type LoadBalancer and their status.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { refusal } from '../cluster-api.ts';
import { cachedBinaries } from './binaries.ts';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { get } from './readiness.ts';

const crdDir = fileURLToPath(new URL('../../../deploy/crds/', import.meta.url));
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const eips = { group: 'network.kubesphere.io', version: 'v1alpha2', plural: 'eips' };

// The first build compiles kube-apiserver from source (tens of minutes on two shared cores);
// afterwards the cache makes start-up a matter of seconds.
const startTimeout = (await cachedBinaries()) === undefined ? 42 * 60_000 : 180_000;


async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('end-to-end control plane', { timeout: startTimeout + 300_000 }, () => {
  let plane: ControlPlane | undefined;
  let kc: KubeConfig;

  before(
    async () => {
      plane = await startControlPlane({ name: `smoke-${process.pid}` });
      kc = new KubeConfig();
      kc.loadFromFile(plane.kubeconfig);
    },
    { timeout: startTimeout },
  );

  after(async () => {
    await plane?.stop();
  });

  test('serves the pinned Kubernetes release', async () => {
    assert.ok(plane);
    const version = await get(plane, '/version');
    assert.ok(version.ok);
    assert.match(JSON.parse(version.value.body).gitVersion, /^v1\.3\d\.\d+$/);
  });

  test("applies Porter's CRDs and they become Established", async () => {
    const api = kc.makeApiClient(ApiextensionsV1Api);
    const files = readdirSync(crdDir).filter((file) => file.endsWith('.yaml'));
    assert.ok(files.length >= 3);
    for (const file of files) {
      // loadYaml maps the wire names (x-kubernetes-validations, x-kubernetes-int-or-string) to the
      // typed model's; a plain YAML parse would have the typed client drop them when it serialises.
      const body = loadYaml<V1CustomResourceDefinition>(readFileSync(join(crdDir, file), 'utf8'));
      await api.createCustomResourceDefinition({ body });
      const name = body.metadata?.name ?? '';
      await until(`${name} Established`, async () => {
        const crd = await api.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
      });
    }
  });

  test('an Eip is created, and CEL refuses a bad address and a changed one', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const eip = (name: string, address: string) => ({
      apiVersion: 'network.kubesphere.io/v1alpha2',
      kind: 'Eip',
      metadata: { name },
      spec: { address },
    });
    await custom.createClusterCustomObject({ ...eips, body: eip('pool', '192.0.2.0/24') });
    await custom.createClusterCustomObject({ ...eips, body: eip('range', '2001:db8::10-2001:db8::20') });

    for (const address of ['not-an-ip', '192.0.2.10-2001:db8::1', '192.0.2.0/33']) {
      const refused = await refusal(() => custom.createClusterCustomObject({ ...eips, body: eip('bad', address) }));
      assert.equal(refused?.code, 422, address);
      assert.match(refused.body, /must be an IP address, a CIDR, or a range/, address);
    }

    const changed = await refusal(() =>
      custom.patchClusterCustomObject({ ...eips, name: 'pool', body: { spec: { address: '198.51.100.0/24' } } }, MERGE),
    );
    assert.equal(changed?.code, 422);
    assert.match(changed.body, /address is immutable/);
  });

  test('a LoadBalancer Service gets a ClusterIP and takes a status patch', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'porter-smoke' } } });
    const created = await core.createNamespacedService({
      namespace: 'porter-smoke',
      body: {
        metadata: { name: 'web' },
        spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
      },
    });
    assert.match(created.spec?.clusterIP ?? '', /^10\.96\./);

    await core.patchNamespacedServiceStatus(
      { name: 'web', namespace: 'porter-smoke', body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } } },
      MERGE,
    );
    const read = await core.readNamespacedService({ name: 'web', namespace: 'porter-smoke' });
    // Kubernetes 1.32+ defaults ipMode (KEP-1860) when the status leaves it out.
    const ingress = read.status?.loadBalancer?.ingress?.map(({ ip, ipMode }) => ({ ip, ipMode }));
    assert.deepEqual(ingress, [{ ip: '192.0.2.10', ipMode: 'VIP' }]);
  });
});
