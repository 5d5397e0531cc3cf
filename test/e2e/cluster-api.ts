/**
 * The suite's hands and eyes on the control plane: Porter's CRDs applied as kube-apiserver gets
 * them from `kubectl apply`, the objects a kubelet and the endpoint controller would write (Nodes
 * and their status, EndpointSlices), and reads of what Porter wrote (Service ingress, Eip status,
 * BgpPeer status, Events, the leader Lease).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CoreV1Event,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  type V1Service,
} from '@kubernetes/client-node';
import { ANNOTATIONS, EXCLUDE_LABEL, GROUP, LOAD_BALANCER_CLASS, VERSION, type BgpConf, type BgpPeer, type Eip, type EipSpec } from '../../controller/api/types.ts';
import { until } from '../netns/wait.ts';
import { type NodeState, endpointSliceManifest, nodeManifest } from '../standalone/manifests.ts';

const CRD_DIR = fileURLToPath(new URL('../../deploy/crds/', import.meta.url));
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const PLURAL = { Eip: 'eips', BgpPeer: 'bgppeers', BgpConf: 'bgpconfs' } as const;

/** How the suite describes a LoadBalancer Service. */
export interface ServiceSpec {
  namespace: string;
  name: string;
  policy?: 'Cluster' | 'Local';
  /** OpenELB's annotation instead of `loadBalancerClass: porter.io/bgp`. */
  openelb?: boolean;
}

/** Whether an API call failed with this HTTP status. */
export function failedWith(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

/** The answer of a call that may be refused: the refusal's status and body, or undefined on success. */
export async function refusal(call: () => Promise<unknown>): Promise<{ code: number; body: string } | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (error instanceof ApiException) return { code: error.code, body: String(error.body) };
    throw error;
  }
}

/** The IPv4 addresses in a Service's `status.loadBalancer.ingress`. */
export function ingressOf(service: V1Service | undefined): string[] {
  return (service?.status?.loadBalancer?.ingress ?? []).flatMap((entry) => (entry.ip ? [entry.ip] : []));
}

/** A LoadBalancer Service claimed for Porter by its class (or OpenELB's annotation). */
export function serviceObject(spec: ServiceSpec): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      namespace: spec.namespace,
      name: spec.name,
      ...(spec.openelb ? { annotations: { [ANNOTATIONS.loadBalancer]: 'openelb' } } : {}),
    },
    spec: {
      type: 'LoadBalancer',
      ...(spec.openelb ? {} : { loadBalancerClass: LOAD_BALANCER_CLASS }),
      externalTrafficPolicy: spec.policy ?? 'Cluster',
      // No NodePorts: nothing here forwards to nodes, and a thousand Services would use a third of the range.
      allocateLoadBalancerNodePorts: false,
      selector: { app: spec.name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
    },
  };
}

/** The control plane as the suite uses it. */
export class ClusterApi {
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly discovery: DiscoveryV1Api;
  readonly coordination: CoordinationV1Api;
  readonly #extensions: ApiextensionsV1Api;

  constructor(kubeconfig: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.discovery = kc.makeApiClient(DiscoveryV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
    this.#extensions = kc.makeApiClient(ApiextensionsV1Api);
  }

  /**
   * Creates every CRD in deploy/crds and waits until each is Established. `loadYaml` maps the wire
   * names (x-kubernetes-validations, x-kubernetes-int-or-string) into the typed model; a plain YAML
   * parse would have the typed client drop them.
   */
  async applyCrds(): Promise<string[]> {
    const names: string[] = [];
    for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
      const body = loadYaml<V1CustomResourceDefinition>(readFileSync(join(CRD_DIR, file), 'utf8'));
      await this.#extensions.createCustomResourceDefinition({ body });
      names.push(body.metadata?.name ?? '');
    }
    for (const name of names) {
      await until(
        `${name} Established`,
        async () => {
          const crd = await this.#extensions.readCustomResourceDefinition({ name });
          return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
        },
        60_000,
      );
    }
    return names;
  }

  async createNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, labels } } });
  }

  /** Creates a Node, then writes its status (a subresource, which create ignores), as a kubelet would. */
  async createNode(state: NodeState): Promise<void> {
    const { status, ...node } = nodeManifest(state);
    await this.core.createNode({ body: node });
    await this.core.patchNodeStatus({ name: state.name, body: { status } }, MERGE);
  }

  /** Sets a Node's Ready condition and exclusion label. */
  async setNode(state: NodeState): Promise<void> {
    const { status } = nodeManifest(state);
    // A merge patch removes a label given as null.
    await this.core.patchNode({ name: state.name, body: { metadata: { labels: { [EXCLUDE_LABEL]: state.excluded ? '' : null } } } }, MERGE);
    await this.core.patchNodeStatus({ name: state.name, body: { status } }, MERGE);
  }

  async createService(spec: ServiceSpec): Promise<void> {
    await this.core.createNamespacedService({ namespace: spec.namespace, body: serviceObject(spec) });
  }

  async deleteService(namespace: string, name: string): Promise<void> {
    await this.core.deleteNamespacedService({ namespace, name });
  }

  /** The Service, or undefined once it is gone. */
  async service(namespace: string, name: string): Promise<V1Service | undefined> {
    try {
      return await this.core.readNamespacedService({ namespace, name });
    } catch (error) {
      if (failedWith(error, 404)) return undefined;
      throw error;
    }
  }

  /** Every Service's ingress addresses, by `namespace/name`. */
  async allIngress(): Promise<Record<string, string[]>> {
    const list = await this.core.listServiceForAllNamespaces();
    return Object.fromEntries(list.items.map((service) => [`${service.metadata?.namespace}/${service.metadata?.name}`, ingressOf(service)]));
  }

  /** Writes the Service's one EndpointSlice: a ready endpoint on each of `nodes`. */
  async setEndpoints(namespace: string, service: string, nodes: string[]): Promise<void> {
    const body = endpointSliceManifest(namespace, service, nodes);
    const name = body.metadata?.name ?? '';
    try {
      const current = await this.discovery.readNamespacedEndpointSlice({ namespace, name });
      await this.discovery.replaceNamespacedEndpointSlice({ namespace, name, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } } });
    } catch (error) {
      if (!failedWith(error, 404)) throw error;
      await this.discovery.createNamespacedEndpointSlice({ namespace, body });
    }
  }

  async createEip(name: string, spec: EipSpec, annotations: Record<string, string> = {}): Promise<void> {
    const body: Eip = { apiVersion: `${GROUP}/${VERSION}`, kind: 'Eip', metadata: { name, annotations }, spec };
    await this.custom.createClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.Eip, body });
  }

  async patchEip(name: string, patch: object): Promise<void> {
    await this.custom.patchClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.Eip, name, body: patch }, MERGE);
  }

  async eip(name: string): Promise<Eip> {
    return (await this.custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.Eip, name })) as Eip;
  }

  async createBgpConf(body: BgpConf): Promise<void> {
    await this.custom.createClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.BgpConf, body });
  }

  async createBgpPeer(body: BgpPeer): Promise<void> {
    await this.custom.createClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.BgpPeer, body });
  }

  async patchBgpPeer(name: string, patch: object): Promise<void> {
    await this.custom.patchClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.BgpPeer, name, body: patch }, MERGE);
  }

  async bgpPeer(name: string): Promise<BgpPeer> {
    return (await this.custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL.BgpPeer, name })) as BgpPeer;
  }

  /** The core/v1 Events of a namespace about the object named `name` of `kind`. */
  async events(namespace: string, kind: string, name: string): Promise<CoreV1Event[]> {
    const list = await this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
    return list.items;
  }

  /** The Lease's holder, or undefined when nobody holds it. */
  async leaseHolder(namespace: string, name: string): Promise<string | undefined> {
    try {
      const lease = await this.coordination.readNamespacedLease({ namespace, name });
      return lease.spec?.holderIdentity || undefined;
    } catch (error) {
      if (failedWith(error, 404)) return undefined;
      throw error;
    }
  }
}
