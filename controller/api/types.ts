/**
 * Porter's custom resources, `network.kubesphere.io/v1alpha2`, field for field as OpenELB names them
 * so that an OpenELB user's manifests apply unchanged. Porter's own additions are optional fields
 * marked "Porter extension"; an OpenELB manifest never sets them and loses nothing without them.
 * All three kinds are cluster-scoped.
 */
import type { V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';

export const GROUP = 'network.kubesphere.io';
export const VERSION = 'v1alpha2';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** A status condition, as metav1.Condition has it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface Resource<Spec, Status> {
  apiVersion: typeof API_VERSION;
  kind: string;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

// --- Eip: an address pool -------------------------------------------------------------------------

export type EipProtocol = 'bgp' | 'layer2' | 'vip';

export interface EipSpec {
  /** One address, a CIDR, or a range `first-last`, IPv4 or IPv6. Immutable. */
  address: string;
  /** Default bgp; layer2 and vip are accepted and reported as not supported. */
  protocol?: EipProtocol;
  /** Layer 2 only (OpenELB): the interface to answer ARP on. Kept, unused. */
  interface?: string;
  /** A disabled pool allocates nothing new; what it gave keeps working. */
  disable?: boolean;
  /** OpenELB: addresses already in use may be handed out. Kept, unused. */
  usingKnownIPs?: boolean;
  /**
   * Order among the pools a Service's namespace may use: the lowest value is tried first, as
   * OpenELB's allocator sorts them (ascending, pools with free addresses before full ones). Default 0.
   */
  priority?: number;
  /** Only Services of these namespaces may use the pool. */
  namespaces?: string[];
  /** Only Services of namespaces whose labels include all of these may use the pool (matchLabels). */
  namespaceSelector?: Record<string, string>;
}

export interface EipStatus {
  /** Every address is in use. */
  occupied?: boolean;
  /** Addresses in use. */
  usage?: number;
  poolSize?: number;
  /** Address -> the Services using it, `namespace/name` separated by `;`. */
  used?: Record<string, string>;
  firstIP?: string;
  lastIP?: string;
  /** The pool is valid and allocating. */
  ready?: boolean;
  /** An IPv4 pool. */
  v4?: boolean;
  /** Porter extension: Ready, Overlap, Invalid, Unsupported. */
  conditions?: Condition[];
}

export type Eip = Resource<EipSpec, EipStatus>;

// --- BgpConf: the speaker's own settings (the one named `default`) --------------------------------

/** GoBGP's graceful restart settings, as OpenELB embeds them. */
export interface GracefulRestart {
  enabled?: boolean;
  /** Seconds peers keep our routes while we restart (RFC 4724). */
  restartTime?: number;
  /** Help peers restart; announce no restart ability of our own. */
  helperOnly?: boolean;
  /** Seconds we wait for peers' End-of-RIB before selecting paths. */
  deferralTime?: number;
  notificationEnabled?: boolean;
  /** RFC 9494. */
  longlivedEnabled?: boolean;
  /** Seconds a returning peer has to send End-of-RIB before its stale routes go (RFC 4724 section 4.2). */
  staleRoutesTime?: number;
  peerRestartTime?: number;
  /** GoBGP state fields OpenELB's schema carries; accepted and unused. */
  peerRestarting?: boolean;
  localRestarting?: boolean;
  mode?: string;
}

export interface BgpConfSpec {
  as: number;
  /** Rack label value -> AS, for nodes labelled `openelb.kubesphere.io/rack`. */
  asPerRack?: Record<string, number>;
  /** Default: the node's InternalIP (IPv4). */
  routerId?: string;
  /** Default (absent or 0) 179; -1: do not listen, only connect (GoBGP's rule, which OpenELB passes on). */
  listenPort?: number;
  listenAddresses?: string[];
  /** GoBGP route family numbers (AFI << 16 | SAFI): 65537 IPv4 unicast, 131073 IPv6 unicast. */
  families?: number[];
  /** Install every equal path (ECMP) rather than one. */
  useMultiplePaths?: boolean;
  gracefulRestart?: GracefulRestart;
  /** OpenELB: the name of a ConfigMap holding a GoBGP routing policy. Accepted, not supported. */
  policy?: string;
}

export interface NodeConfStatus {
  routerId: string;
  as: number;
}

export interface BgpConfStatus {
  nodesConfStatus?: Record<string, NodeConfStatus>;
  /** Porter extension. */
  conditions?: Condition[];
}

export type BgpConf = Resource<BgpConfSpec, BgpConfStatus>;

// --- BgpPeer: a neighbour, for the nodes its selector picks ---------------------------------------

export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

export interface PeerConf {
  peerAs: number;
  neighborAddress: string;
  /** TCP-MD5 key (RFC 2385). */
  authPassword?: string;
  /** Porter extension: the key from a Secret instead of the manifest. */
  authPasswordSecretRef?: SecretKeyRef;
  description?: string;
  adminDown?: boolean;
  /** Our AS toward this peer; Porter requires it to equal the node's AS (one speaker has one AS). */
  localAs?: number;
  /**
   * GoBGP fields that OpenELB's schema carries. Porter accepts them so OpenELB manifests apply,
   * and ignores them.
   */
  peerGroup?: string;
  peerType?: number;
  /** A string here, as OpenELB's schema has it (GoBGP's enum name). */
  removePrivateAs?: string;
  routeFlapDamping?: boolean;
  sendCommunity?: number;
  neighborInterface?: string;
  vrf?: string;
  allowOwnAs?: number;
  replacePeerAs?: boolean;
}

export interface EbgpMultihop {
  enabled?: boolean;
  multihopTtl?: number;
}

/**
 * Seconds. OpenELB's schema types these as strings (GoBGP's protobuf JSON writes uint64 as text), so
 * OpenELB manifests say `holdTime: "90"`; Porter accepts that and plain numbers. Read them with
 * `timerSeconds()`.
 */
export type TimerValue = number | string;

export interface TimersConfig {
  connectRetry?: TimerValue;
  holdTime?: TimerValue;
  keepaliveInterval?: TimerValue;
  minimumAdvertisementInterval?: TimerValue;
}

export interface Timers {
  config?: TimersConfig;
}

export interface Transport {
  passiveMode?: boolean;
  remotePort?: number;
  /** Porter extension: the address our connections leave from. */
  localAddress?: string;
  /** GoBGP fields that OpenELB's schema carries; accepted, unused. */
  mtuDiscovery?: boolean;
  remoteAddress?: string;
  tcpMss?: number;
}

export interface AfiSafiFamily {
  afi: 'AFI_IP' | 'AFI_IP6';
  safi: 'SAFI_UNICAST';
}

export interface AddPaths {
  config?: { receive?: boolean; sendMax?: number };
}

export interface MpGracefulRestart {
  config?: { enabled?: boolean };
}

export interface AfiSafi {
  config: { family: AfiSafiFamily; enabled?: boolean };
  addPaths?: AddPaths;
  mpGracefulRestart?: MpGracefulRestart;
}

export interface BgpPeerSpec {
  conf: PeerConf;
  ebgpMultihop?: EbgpMultihop;
  timers?: Timers;
  transport?: Transport;
  gracefulRestart?: GracefulRestart;
  afiSafis?: AfiSafi[];
  /** The nodes that peer; every node when absent. */
  nodeSelector?: V1LabelSelector;
  /** Porter extension: standard communities (`65000:100`) attached to every VIP sent to this peer. */
  communities?: string[];
  /** Porter extension: large communities (`65000:1:2`). */
  largeCommunities?: string[];
  /** Porter extension: LOCAL_PREF on iBGP sessions. */
  localPref?: number;
  /** Porter extension: MULTI_EXIT_DISC. */
  med?: number;
  /** Porter extension: the peer is our route-reflector client (RFC 4456). */
  routeReflectorClient?: boolean;
  /** Porter extension: Cease (subcode 1) when the peer sends more prefixes than this. */
  maxPrefix?: number;
}

/** Message counters, as text (GoBGP's protobuf JSON writes uint64 as strings). */
export interface MessageCounters {
  notification?: string;
  update?: string;
  open?: string;
  keepalive?: string;
  refresh?: string;
  discarded?: string;
  total?: string;
  withdrawUpdate?: string;
  withdrawPrefix?: string;
}

/**
 * One node's view of the session, OpenELB's field names. OpenELB also copies `authPassword` here;
 * Porter never writes a key into status.
 */
export interface PeerState {
  sessionState: string;
  neighborAddress: string;
  peerAs: number;
  /** Porter extension: the peer is administratively down on this node. */
  adminDown?: boolean;
  /** OpenELB: UP or DOWN. */
  adminState?: string;
  localAs?: number;
  /** The peer's BGP identifier. */
  routerId?: string;
  description?: string;
  messages?: { received?: MessageCounters; sent?: MessageCounters };
  /** Times the session went down. */
  flops?: number;
}

/** Session timers, seconds as text, and times as RFC 3339. */
export interface TimersState {
  connectRetry?: string;
  holdTime?: string;
  keepaliveInterval?: string;
  minimumAdvertisementInterval?: string;
  negotiatedHoldTime?: string;
  /** When the session came up, absent when not Established. */
  uptime?: string;
  /** When the session last went down. */
  downtime?: string;
}

export interface NodePeerStatus {
  peerState: PeerState;
  timersState?: TimersState;
  /** Porter extension. */
  prefixesReceived?: number;
  /** Porter extension. */
  prefixesAdvertised?: number;
  /** Porter extension: why the session last failed. */
  lastError?: string;
}

export interface BgpPeerStatus {
  nodesPeerStatus?: Record<string, NodePeerStatus>;
  /** Porter extension. */
  conditions?: Condition[];
}

export type BgpPeer = Resource<BgpPeerSpec, BgpPeerStatus>;

// --- Annotations and labels Porter reads ------------------------------------------------------------

export const ANNOTATIONS = {
  /** OpenELB: the Service is OpenELB's (value `openelb`). */
  loadBalancer: 'lb.kubesphere.io/v1alpha1',
  /** OpenELB: the Eip (pool) to allocate from. */
  eipPool: 'eip.openelb.kubesphere.io/v1alpha2',
  /** OpenELB: the address requested. */
  requestedIp: 'eip.openelb.kubesphere.io/v1alpha1',
  /** OpenELB: on an Eip, "true" makes it the default pool. */
  defaultEip: 'eip.openelb.kubesphere.io/is-default-eip',
  /** Porter (MetalLB's rule): Services with the same key may share an address. */
  sharingKey: 'porter.io/allow-shared-ip',
  /** MetalLB's key, read too so its users migrate unchanged. */
  metallbSharingKey: 'metallb.universe.tf/allow-shared-ip',
} as const;

export const LOAD_BALANCER_CLASS = 'porter.io/bgp';
export const OPENELB_LB_VALUE = 'openelb';
/** OpenELB: a node's rack, the key of BgpConf `asPerRack`. */
export const RACK_LABEL = 'openelb.kubesphere.io/rack';
export const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';
export const FINALIZER = 'porter.io/ip-release';
