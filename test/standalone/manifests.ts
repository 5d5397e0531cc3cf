/**
 * The manifests the standalone suite writes: builders for the kinds `porter run --manifests` reads,
 * and the directory every node process watches. A file is written beside the directory and renamed
 * into it, so a watcher never reads half a file (rename is atomic within one file system).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1EndpointSlice, V1LabelSelector, V1Namespace, V1Node, V1Service } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { ANNOTATIONS, API_VERSION, EXCLUDE_LABEL, type BgpConf, type BgpPeer, type Eip } from '../../controller/api/types.ts';
import { SERVICE_NAME_LABEL } from '../../controller/speaker/eligibility.ts';

/** A node as the suite describes it. */
export interface NodeState {
  name: string;
  /** Its InternalIP: the next hop of what it announces. */
  address: string;
  ready: boolean;
  excluded: boolean;
}

/** A Node object: hostname label, InternalIP, Ready condition, and the exclusion label when excluded. */
export function nodeManifest(node: NodeState): V1Node {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': node.name };
  // Kubernetes reads the label's presence, whatever its value (KEP-1143).
  if (node.excluded) labels[EXCLUDE_LABEL] = '';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels },
    status: {
      addresses: [{ type: 'InternalIP', address: node.address }],
      conditions: [{ type: 'Ready', status: node.ready ? 'True' : 'False' }],
    },
  };
}

/** A Namespace object. */
export function namespaceManifest(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** How a Service asks for its address: the spec field or OpenELB's annotation. */
export type AddressRequest = 'loadBalancerIP' | 'annotation';

export interface ServiceState {
  namespace: string;
  name: string;
  /** The address asked for, inside the pool, so every node's allocator picks the same one. */
  address: string;
  request: AddressRequest;
  policy: 'Cluster' | 'Local';
}

/** A LoadBalancer Service of the default class asking for one address. */
export function serviceManifest(service: ServiceState): V1Service {
  const annotations = service.request === 'annotation' ? { [ANNOTATIONS.requestedIp]: service.address } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: service.namespace, name: service.name, ...(annotations ? { annotations } : {}) },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: service.policy,
      selector: { app: service.name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
      ...(service.request === 'loadBalancerIP' ? { loadBalancerIP: service.address } : {}),
    },
  };
}

/** One ready endpoint of `service` on each of `nodes`, in one slice tied by the service-name label. */
export function endpointSliceManifest(namespace: string, service: string, nodes: string[]): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: `${service}-slice`, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: nodes.map((node, index) => ({
      addresses: [`10.244.${index + 1}.10`],
      nodeName: node,
      conditions: { ready: true },
      targetRef: { kind: 'Pod', namespace, name: `${service}-${node}` },
    })),
  };
}

/** An Eip (address pool) for BGP. */
export function eipManifest(name: string, address: string): Eip {
  return { apiVersion: API_VERSION, kind: 'Eip', metadata: { name }, spec: { address, protocol: 'bgp' } };
}

/** BgpConf `default`: the nodes' AS; the router id is each node's InternalIP. */
export function bgpConfManifest(asn: number): BgpConf {
  return { apiVersion: API_VERSION, kind: 'BgpConf', metadata: { name: 'default' }, spec: { as: asn } };
}

/** A BgpPeer as the suite describes it; Porter extensions only where set. */
export interface PeerState {
  name: string;
  address: string;
  asn: number;
  nodeSelector?: V1LabelSelector;
  communities?: string[];
}

/**
 * A BgpPeer for IPv4 unicast with short timers (hold 9 s, retry 1 s), so a lost session or a
 * late daemon costs seconds, not minutes. Porter dials (the routers wait).
 */
export function bgpPeerManifest(peer: PeerState): BgpPeer {
  return {
    apiVersion: API_VERSION,
    kind: 'BgpPeer',
    metadata: { name: peer.name },
    spec: {
      conf: { peerAs: peer.asn, neighborAddress: peer.address },
      timers: { config: { holdTime: 9, connectRetry: 1 } },
      afiSafis: [{ config: { family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' }, enabled: true } }],
      ...(peer.nodeSelector ? { nodeSelector: peer.nodeSelector } : {}),
      ...(peer.communities ? { communities: peer.communities } : {}),
    },
  };
}

/** The directory of manifests every node process reads. */
export class ManifestDir {
  /** Where files are written before they are renamed into the directory. */
  private readonly staging: string;

  constructor(readonly dir: string) {
    this.staging = `${dir}.staging`;
    mkdirSync(dir, { recursive: true });
    mkdirSync(this.staging, { recursive: true });
  }

  /** Writes `objects` as one multi-document YAML file. */
  write(file: string, ...objects: object[]): void {
    this.writeText(file, objects.map((object) => stringify(object)).join('---\n'));
  }

  /** Writes a file as given, well-formed or not. */
  writeText(file: string, text: string): void {
    const staged = join(this.staging, file);
    writeFileSync(staged, text);
    renameSync(staged, join(this.dir, file));
  }

  remove(file: string): void {
    rmSync(join(this.dir, file), { force: true });
  }
}
