/**
 * The Helm chart: rendered by helm with the default values and with every switch flipped, each
 * manifest validated strictly by kubeconform against the schemas of the Kubernetes release the e2e
 * cluster runs (made from that release's OpenAPI document) and of Porter's CRDs; the RBAC rules are
 * exactly what the components call; the chart's CRDs are deploy/crds.
 *
 * helm and kubeconform are built from their Go modules on first use (scripts/tools.mjs), which takes
 * minutes on a new machine; later runs reuse the cache.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ensureKubernetesOpenApi, ensureTool, KUBERNETES_VERSION } from '../../scripts/tools.mjs';
import { manifests, renderChart, validate, writeSchemas, type Result, type Verdict } from './chart-tools.ts';
import { schemasFromCrd, schemasFromOpenApiV2, type Json } from './kube-json-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chart = join(root, 'deploy', 'helm', 'porter');
const flipped = join(dirname(fileURLToPath(import.meta.url)), 'values-flipped.yaml');
const NAMESPACE = 'porter-system';

type Manifest = Record<string, any>;

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

let helm = '';
let kubeconform = '';
let schemas = '';

before(() => {
  helm = unwrap(ensureTool('helm'));
  kubeconform = unwrap(ensureTool('kubeconform'));
  const openapi = unwrap(ensureKubernetesOpenApi());
  schemas = mkdtempSync(join(tmpdir(), 'porter-schemas-'));
  writeSchemas(schemas, schemasFromOpenApiV2(JSON.parse(readFileSync(openapi, 'utf8')) as { [key: string]: Json }));
  for (const file of readdirSync(join(root, 'deploy', 'crds'))) {
    writeSchemas(schemas, schemasFromCrd(parse(readFileSync(join(root, 'deploy', 'crds', file), 'utf8')) as { [key: string]: Json }));
  }
}, { timeout: 30 * 60_000 });

after(() => {
  if (schemas !== '') rmSync(schemas, { recursive: true, force: true });
});

function render(valuesFiles: string[] = []): Manifest[] {
  return manifests(unwrap(renderChart(helm, chart, { release: 'porter', namespace: NAMESPACE, kubernetesVersion: KUBERNETES_VERSION, valuesFiles })));
}

function stream(documents: Manifest[]): string {
  return documents.map((document) => JSON.stringify(document)).join('\n---\n');
}

function verdicts(documents: Manifest[]): Verdict[] {
  return unwrap(validate(kubeconform, schemas, KUBERNETES_VERSION, stream(documents)));
}

function find(documents: Manifest[], kind: string, name: string): Manifest {
  const found = documents.find((document) => document.kind === kind && document.metadata?.name === name);
  assert.ok(found, `${kind} ${name} rendered`);
  return found;
}

function kinds(documents: Manifest[]): string[] {
  return documents.map((document) => `${document.kind}/${document.metadata.name}`).sort();
}

function assertAllValid(documents: Manifest[]): void {
  const results = verdicts(documents);
  const bad = results.filter((verdict) => verdict.status !== 'statusValid');
  assert.deepEqual(bad.map((verdict) => `${verdict.kind}/${verdict.name}: ${verdict.status} ${verdict.msg}`), []);
  assert.equal(results.length, documents.length, 'kubeconform judged every document');
}

/** RBAC rules as comparable lines: `group resource[/sub] [names] verb,verb`, sorted. */
function ruleLines(rules: Manifest[]): string[] {
  const lines: string[] = [];
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const names = rule.resourceNames ? ` [${rule.resourceNames.join(',')}]` : '';
        lines.push(`${group || 'core'} ${resource}${names} ${[...rule.verbs].sort().join(',')}`);
      }
    }
  }
  return lines.sort();
}

const CONTROLLER_CLUSTER_RULES = [
  'core events create,patch',
  'core namespaces list,watch',
  'core services get,list,patch,watch',
  'core services/status patch',
  'network.kubesphere.io eips list,watch',
  'network.kubesphere.io eips/status patch',
];
const CONTROLLER_LEASE_RULES = ['coordination.k8s.io leases [porter-controller] get,update', 'coordination.k8s.io leases create'];
const SPEAKER_CLUSTER_RULES = [
  'core events create,patch',
  'core nodes list,watch',
  'core secrets list,watch',
  'core services list,watch',
  'discovery.k8s.io endpointslices list,watch',
  'network.kubesphere.io bgpconfs list,watch',
  'network.kubesphere.io bgpconfs/status patch',
  'network.kubesphere.io bgppeers list,watch',
  'network.kubesphere.io bgppeers/status patch',
];

describe('chart with default values', () => {
  test('renders the expected objects, each valid against the Kubernetes and CRD schemas', () => {
    const documents = render();
    assert.deepEqual(kinds(documents), [
      'ClusterRole/porter-controller',
      'ClusterRole/porter-speaker',
      'ClusterRoleBinding/porter-controller',
      'ClusterRoleBinding/porter-speaker',
      'CustomResourceDefinition/bgpconfs.network.kubesphere.io',
      'CustomResourceDefinition/bgppeers.network.kubesphere.io',
      'CustomResourceDefinition/eips.network.kubesphere.io',
      'DaemonSet/porter-speaker',
      'Deployment/porter-controller',
      'PodDisruptionBudget/porter-controller',
      'Role/porter-controller-lease',
      'RoleBinding/porter-controller-lease',
      'ServiceAccount/porter-controller',
      'ServiceAccount/porter-speaker',
    ]);
    assertAllValid(documents);
  });

  test('RBAC grants each component exactly the verbs it uses', () => {
    const documents = render();
    assert.deepEqual(ruleLines(find(documents, 'ClusterRole', 'porter-controller').rules), CONTROLLER_CLUSTER_RULES);
    assert.deepEqual(ruleLines(find(documents, 'Role', 'porter-controller-lease').rules), CONTROLLER_LEASE_RULES);
    assert.equal(find(documents, 'Role', 'porter-controller-lease').metadata.namespace, NAMESPACE);
    assert.deepEqual(ruleLines(find(documents, 'ClusterRole', 'porter-speaker').rules), SPEAKER_CLUSTER_RULES);
    const bindings: [string, string, string][] = [
      ['ClusterRoleBinding', 'porter-controller', 'porter-controller'],
      ['RoleBinding', 'porter-controller-lease', 'porter-controller'],
      ['ClusterRoleBinding', 'porter-speaker', 'porter-speaker'],
    ];
    for (const [kind, name, account] of bindings) {
      const binding = find(documents, kind, name);
      assert.equal(binding.roleRef.name, name);
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account, namespace: NAMESPACE }]);
    }
  });

  test('controller: replicas, Lease identity from the pod, probes, locked-down container', () => {
    const deployment = find(render(), 'Deployment', 'porter-controller');
    assert.equal(deployment.spec.replicas, 2);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'porter-controller');
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    assert.equal(container.image, 'porter:0.1.0');
    assert.deepEqual(container.args, ['controller', '--metrics-address=0.0.0.0:7472', '--log-level=info', '--lease-name=porter-controller']);
    assert.deepEqual(container.env, [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'metrics' });
    assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });
    assert.deepEqual(container.ports, [{ name: 'metrics', containerPort: 7472, protocol: 'TCP' }]);
    assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const pdb = find(render(), 'PodDisruptionBudget', 'porter-controller');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
  });

  test('speaker: host network, node name from the pod spec, only NET_BIND_SERVICE, probes on 7473', () => {
    const daemonSet = find(render(), 'DaemonSet', 'porter-speaker');
    const pod = daemonSet.spec.template.spec;
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet');
    assert.equal(pod.serviceAccountName, 'porter-speaker');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const [container] = pod.containers;
    assert.deepEqual(container.args, ['speaker', '--metrics-address=0.0.0.0:7473', '--log-level=info', '--pool=auto', '--pool-threads=1']);
    assert.deepEqual(container.env, [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'metrics' });
    assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });
    assert.ok(container.ports.some((port: Manifest) => port.name === 'metrics' && port.containerPort === 7473));
  });
});

describe('chart with every switch flipped', () => {
  test('leaves out RBAC, the controller account and the PDB; every object valid', () => {
    const documents = render([flipped]);
    assert.deepEqual(kinds(documents), [
      'CustomResourceDefinition/bgpconfs.network.kubesphere.io',
      'CustomResourceDefinition/bgppeers.network.kubesphere.io',
      'CustomResourceDefinition/eips.network.kubesphere.io',
      'DaemonSet/lb-speaker',
      'Deployment/lb-controller',
      'ServiceAccount/porter-bgp',
    ]);
    assertAllValid(documents);
  });

  test('passes the values through to both components', () => {
    const documents = render([flipped]);
    const deployment = find(documents, 'Deployment', 'lb-controller');
    assert.equal(deployment.spec.replicas, 3);
    assert.equal(deployment.metadata.labels.team, 'network');
    const controller = deployment.spec.template.spec;
    assert.equal(controller.serviceAccountName, 'porter-ctl');
    assert.equal(controller.topologySpreadConstraints, undefined);
    assert.equal(controller.containers[0].image, 'registry.example/porter:0.1.0-test');
    assert.deepEqual(controller.containers[0].args, ['controller', '--metrics-address=0.0.0.0:9472', '--log-level=debug', '--lease-name=porter-leader', '--default-class']);
    const speaker = find(documents, 'DaemonSet', 'lb-speaker');
    assert.deepEqual(speaker.spec.updateStrategy, { type: 'OnDelete' });
    assert.equal(speaker.spec.template.spec.serviceAccountName, 'porter-bgp');
    // Helm merges a map of the user's values into the default one: a default key stays unless set to null.
    assert.deepEqual(speaker.spec.template.spec.nodeSelector, { 'kubernetes.io/os': 'linux', 'porter.io/speaker': 'true' });
    assert.deepEqual(speaker.spec.template.spec.containers[0].args, [
      'speaker', '--metrics-address=0.0.0.0:9473', '--log-level=warn', '--pool=off', '--pool-threads=2', '--default-class',
    ]);
  });
});

describe('validation is strict', () => {
  test('a misspelt field of a Kubernetes object or of a custom resource is rejected', () => {
    const deployment = structuredClone(find(render(), 'Deployment', 'porter-controller'));
    deployment.spec.template.spec.hostNetwrk = true;
    const eip = { apiVersion: 'network.kubesphere.io/v1alpha2', kind: 'Eip', metadata: { name: 'pool' }, spec: { address: '192.0.2.0/28', protocl: 'bgp' } };
    // kubeconform validates in parallel: its report is in no particular order.
    const results = new Map(verdicts([deployment, eip]).map((verdict) => [verdict.kind, verdict]));
    assert.equal(results.get('Deployment')?.status, 'statusInvalid');
    assert.match(results.get('Deployment')?.msg ?? '', /hostNetwrk/);
    assert.equal(results.get('Eip')?.status, 'statusInvalid');
    assert.match(results.get('Eip')?.msg ?? '', /protocl/);
  });

  test('the examples validate against the CRD schemas', () => {
    const documents = ['pools.yaml', 'bgp.yaml'].flatMap((file) => manifests(readFileSync(join(root, 'examples', file), 'utf8')));
    assert.ok(documents.length > 0);
    assertAllValid(documents);
  });
});

test("the chart's CRDs are deploy/crds, byte for byte", () => {
  const generated = readdirSync(join(root, 'deploy', 'crds')).sort();
  const carried = readdirSync(join(chart, 'crds')).sort();
  assert.deepEqual(carried, generated, 'same files (copy with: cp deploy/crds/*.yaml deploy/helm/porter/crds/)');
  for (const file of generated) {
    assert.equal(readFileSync(join(chart, 'crds', file), 'utf8'), readFileSync(join(root, 'deploy', 'crds', file), 'utf8'), `${file} differs from deploy/crds (copy it again)`);
  }
});
