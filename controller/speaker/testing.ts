/** Builders of the objects the speaker's tests read: nodes, Services, EndpointSlices, BgpConf and BgpPeers. */
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import { API_VERSION, type BgpConf, type BgpConfSpec, type BgpPeer, type BgpPeerSpec } from '../api/types.ts';
import { SERVICE_NAME_LABEL } from './eligibility.ts';

export interface NodeOptions {
  ready?: boolean | 'no-condition';
  labels?: Record<string, string>;
  addresses?: { type: string; address: string }[];
}

/** A node, Ready with InternalIP `192.0.2.<n>` unless told otherwise. */
export function makeNode(name: string, options: NodeOptions = {}): V1Node {
  const ready = options.ready ?? true;
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    status: {
      conditions: ready === 'no-condition' ? [] : [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      addresses: options.addresses ?? [{ type: 'InternalIP', address: '192.0.2.1' }, { type: 'Hostname', address: name }],
    },
  };
}

export interface ServiceOptions {
  ips?: string[];
  policy?: 'Local' | 'Cluster';
  annotations?: Record<string, string>;
  loadBalancerClass?: string;
}

/** A LoadBalancer Service in `namespace/name` whose ingress holds `ips`. */
export function makeService(key: string, options: ServiceOptions = {}): V1Service {
  const [namespace, name] = key.split('/');
  return {
    metadata: { namespace, name, ...(options.annotations !== undefined ? { annotations: options.annotations } : {}) },
    spec: {
      type: 'LoadBalancer',
      ports: [{ port: 80 }],
      ...(options.policy !== undefined ? { externalTrafficPolicy: options.policy } : {}),
      ...(options.loadBalancerClass !== undefined ? { loadBalancerClass: options.loadBalancerClass } : {}),
    },
    status: { loadBalancer: { ingress: (options.ips ?? []).map((ip) => ({ ip })) } },
  };
}

export interface EndpointOptions {
  node: string;
  pod: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  address?: string;
}

/** An EndpointSlice `name` of the Service `namespace/service`. */
export function makeSlice(
  serviceKey: string,
  name: string,
  endpoints: EndpointOptions[],
  addressType: 'IPv4' | 'IPv6' = 'IPv4',
): V1EndpointSlice {
  const [namespace, service] = serviceKey.split('/');
  return {
    metadata: { namespace, name, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType,
    endpoints: endpoints.map((endpoint, index) => ({
      addresses: [endpoint.address ?? (addressType === 'IPv4' ? `10.0.0.${index + 1}` : `fd00::${index + 1}`)],
      nodeName: endpoint.node,
      targetRef: { kind: 'Pod', namespace, name: endpoint.pod },
      conditions: {
        ...(endpoint.ready !== undefined ? { ready: endpoint.ready } : {}),
        ...(endpoint.serving !== undefined ? { serving: endpoint.serving } : {}),
        ...(endpoint.terminating !== undefined ? { terminating: endpoint.terminating } : {}),
      },
    })),
  };
}

/** BgpConf `default` with these spec fields. */
export function makeBgpConf(spec: Partial<BgpConfSpec> = {}): BgpConf {
  return { apiVersion: API_VERSION, kind: 'BgpConf', metadata: { name: 'default' }, spec: { as: 65001, ...spec } };
}

/** A BgpPeer `name` to `neighborAddress` in `peerAs`, with these further spec fields. */
export function makeBgpPeer(name: string, neighborAddress: string, peerAs: number, spec: Partial<BgpPeerSpec> = {}): BgpPeer {
  return {
    apiVersion: API_VERSION,
    kind: 'BgpPeer',
    metadata: { name },
    spec: { ...spec, conf: { peerAs, neighborAddress, ...spec.conf } },
  };
}
