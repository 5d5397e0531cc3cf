/**
 * The contracts between the controller's parts: sources fill a store, reconcilers read it and act
 * through a writer. The same reconcilers run against the Kubernetes API (`porter controller`,
 * `porter speaker`) and against manifest files (`porter run --manifests`); only the source and the
 * writer differ.
 */
import type { V1EndpointSlice, V1Namespace, V1Node, V1ObjectMeta, V1Secret, V1Service } from '@kubernetes/client-node';
import type { BgpConf, BgpConfStatus, BgpPeer, Eip, EipStatus, NodePeerStatus } from '../api/types.ts';

export interface KindMap {
  Service: V1Service;
  EndpointSlice: V1EndpointSlice;
  Node: V1Node;
  Namespace: V1Namespace;
  Secret: V1Secret;
  Eip: Eip;
  BgpConf: BgpConf;
  BgpPeer: BgpPeer;
}

export type Kind = keyof KindMap;
export type AnyObject = KindMap[Kind];

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export type ObjectKey = string;

export function objectKey(metadata: V1ObjectMeta | undefined): ObjectKey {
  const name = metadata?.name ?? '';
  return metadata?.namespace ? `${metadata.namespace}/${name}` : name;
}

export interface StoreEvent<K extends Kind = Kind> {
  kind: K;
  type: 'added' | 'modified' | 'deleted';
  key: ObjectKey;
  /** The object now; for `deleted`, the last state seen. */
  object: KindMap[K];
  /** The object before, for `modified`. */
  old?: KindMap[K];
}

/** What reconcilers read: the latest state of every watched object. */
export interface ReadStore {
  get<K extends Kind>(kind: K, key: ObjectKey): KindMap[K] | undefined;
  list<K extends Kind>(kind: K): KindMap[K][];
  /** The source has listed this kind at least once: its absence of objects means something. */
  synced(kind: Kind): boolean;
  on(event: 'change', listener: (event: StoreEvent) => void): unknown;
  off(event: 'change', listener: (event: StoreEvent) => void): unknown;
}

export type EventType = 'Normal' | 'Warning';

/** What reconcilers write. Each call is one small patch; none rewrites an object's spec. */
export interface ClusterWriter {
  /** Sets `status.loadBalancer.ingress` to exactly these addresses (empty: none). */
  setServiceIngress(key: ObjectKey, addresses: string[]): Promise<void>;
  /** Adds or removes Porter's finalizer on a Service. */
  setServiceFinalizer(key: ObjectKey, present: boolean): Promise<void>;
  setEipStatus(name: string, status: EipStatus): Promise<void>;
  /** One node's entry in `BgpPeer.status.nodesPeerStatus`; undefined removes it. */
  setBgpPeerNodeStatus(name: string, node: string, status: NodePeerStatus | undefined): Promise<void>;
  setBgpConfStatus(name: string, status: BgpConfStatus): Promise<void>;
  /** A Kubernetes Event about an object (`reason` in UpperCamelCase, as kubectl shows it). */
  event(kind: Kind, key: ObjectKey, type: EventType, reason: string, message: string): Promise<void>;
}
