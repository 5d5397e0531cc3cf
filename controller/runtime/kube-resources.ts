/**
 * Where each kind Porter watches lives in the Kubernetes API: its group/version, its resource name
 * (plural) and whether it is namespaced. The source lists and watches these collections across all
 * namespaces; the writer patches single objects in them.
 */
import { API_VERSION, GROUP, VERSION } from '../api/types.ts';
import type { Kind } from './types.ts';

export interface KindResource {
  /** `v1` for the core group, `group/version` otherwise; lists leave it out of their items. */
  apiVersion: string;
  /** The resource name in URLs. */
  plural: string;
  namespaced: boolean;
}

export const KIND_RESOURCES: Record<Kind, KindResource> = {
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  Node: { apiVersion: 'v1', plural: 'nodes', namespaced: false },
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  Eip: { apiVersion: API_VERSION, plural: 'eips', namespaced: false },
  BgpConf: { apiVersion: API_VERSION, plural: 'bgpconfs', namespaced: false },
  BgpPeer: { apiVersion: API_VERSION, plural: 'bgppeers', namespaced: false },
};

/** The custom resources' group and version, as CustomObjectsApi takes them. */
export const CUSTOM = { group: GROUP, version: VERSION } as const;

/**
 * The path of a kind's collection across all namespaces (`/api/v1/services`,
 * `/apis/network.kubesphere.io/v1alpha2/eips`): the path a list or a watch of every object uses.
 */
export function collectionPath(kind: Kind): string {
  const { apiVersion, plural } = KIND_RESOURCES[kind];
  const root = apiVersion.includes('/') ? 'apis' : 'api';
  return `/${root}/${apiVersion}/${plural}`;
}

/** Splits an object key into namespace (empty for cluster-scoped objects) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
