/**
 * Whether this node may attract a Service's traffic, by the rules Kubernetes gives cloud load
 * balancers: a Ready node, not labelled out of external load balancers, and under
 * `externalTrafficPolicy: Local` one that runs a ready endpoint of the Service, since kube-proxy
 * drops external traffic on a node without one (its health check node port answers 503 there).
 */
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import { EXCLUDE_LABEL } from '../api/types.ts';

/** The label that ties an EndpointSlice to its Service (discovery.k8s.io/v1). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface Eligibility {
  eligible: boolean;
  /** Why, in words an operator reads in a log or an Event. */
  reason: string;
  /** Ready endpoints of the Service on this node; counted under Local policy only (0 otherwise). */
  endpoints: number;
}

/** The node's Ready condition is True (a node without one has not reported and is not Ready). */
export function nodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/**
 * The node carries the exclusion label: Kubernetes' service controller leaves such nodes out of
 * every load balancer whatever the label's value (KEP-1143).
 */
export function nodeExcluded(node: V1Node): boolean {
  return node.metadata?.labels?.[EXCLUDE_LABEL] !== undefined;
}

/** `externalTrafficPolicy: Local` (`Cluster` is the default). */
export function isLocalPolicy(service: V1Service): boolean {
  return service.spec?.externalTrafficPolicy === 'Local';
}

/** The slice belongs to the Service: same namespace and the service-name label. */
export function sliceOf(slice: V1EndpointSlice, service: V1Service): boolean {
  return (
    slice.metadata?.namespace === service.metadata?.namespace &&
    slice.metadata?.labels?.[SERVICE_NAME_LABEL] === service.metadata?.name
  );
}

/**
 * The Service's ready endpoints on the node. `ready` unset means ready (discovery.k8s.io/v1);
 * serving-but-terminating endpoints do not count, as kube-proxy's health check counts only ready
 * local endpoints. A dual-stack Service lists each pod once per family, so endpoints are counted
 * once per target (the pod), or per first address when they have none.
 */
export function readyEndpointsOn(nodeName: string, service: V1Service, slices: readonly V1EndpointSlice[]): number {
  const seen = new Set<string>();
  for (const slice of slices) {
    if (!sliceOf(slice, service)) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.nodeName !== nodeName || endpoint.conditions?.ready === false) continue;
      const target = endpoint.targetRef;
      const identity = target?.uid ?? (target?.name !== undefined ? `${target.namespace ?? ''}/${target.name}` : undefined);
      seen.add(identity !== undefined ? `target ${identity}` : `address ${endpoint.addresses[0] ?? ''}`);
    }
  }
  return seen.size;
}

/** The rules in order; the first that fails is the reason. */
export function nodeEligibility(node: V1Node, service: V1Service, slices: readonly V1EndpointSlice[]): Eligibility {
  if (!nodeReady(node)) return { eligible: false, reason: 'node is not Ready', endpoints: 0 };
  if (nodeExcluded(node)) return { eligible: false, reason: `node is labelled ${EXCLUDE_LABEL}`, endpoints: 0 };
  if (!isLocalPolicy(service)) return { eligible: true, reason: 'externalTrafficPolicy Cluster: every Ready node', endpoints: 0 };
  const endpoints = readyEndpointsOn(node.metadata?.name ?? '', service, slices);
  if (endpoints === 0) {
    return { eligible: false, reason: 'externalTrafficPolicy Local and no ready endpoint on the node', endpoints: 0 };
  }
  return { eligible: true, reason: `externalTrafficPolicy Local: ${endpoints} ready endpoint(s) on the node`, endpoints };
}
