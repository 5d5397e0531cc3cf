/**
 * BgpConf and BgpPeer, as OpenELB defines them, turned into the engine's speaker and peer
 * settings for one node. Pure: the caller passes the node, its addresses and a Secret lookup.
 * A setting that cannot run is an error value naming the field, for the resource's status and an
 * Event; it never throws.
 */
import type { V1Node, V1Secret } from '@kubernetes/client-node';
import { ConfigError, peerSettings as checkedPeer, speakerConfig } from '../../engine/speaker/config.ts';
import type { AddPathMode, GracefulRestartSettings, SpeakerConfig, SpeakerPeerConfig } from '../../engine/speaker/config.ts';
import { policyProblem, type Policy, type PolicyActions } from '../../engine/rib/policy.ts';
import { canonicalAddress, isIpv4 } from '../../engine/session/driver-config.ts';
import type { Family } from '../../engine/wire/types.ts';
import { labelSelectorMatches } from '../api/label-selector.ts';
import { timerSeconds } from '../api/timer-seconds.ts';
import { RACK_LABEL, type AfiSafiFamily, type BgpConf, type BgpPeer, type GracefulRestart } from '../api/types.ts';
import type { ObjectKey } from '../runtime/types.ts';
import type { NodeAddresses } from './node-address.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** RFC 4271 section 8.2.1: BGP listens on TCP port 179. */
export const BGP_PORT = 179;

/** OpenELB's `listenPort: -1`: open no listener, only connect out. */
export const NO_LISTENER = -1;

/** GoBGP's listen addresses when none are given: every IPv4 and every IPv6 address. */
export const DEFAULT_LISTEN_ADDRESSES = ['0.0.0.0', '::'];

/**
 * Seconds peers keep our routes, long-lived (RFC 9494), when graceful restart has `longlivedEnabled`:
 * OpenELB's resource has no field for it (GoBGP sets it per family), so one hour.
 */
export const LONG_LIVED_STALE_TIME = 3600;

/** GoBGP's TTL for eBGP multihop when enabled without one. */
export const DEFAULT_MULTIHOP_TTL = 255;

/** GoBGP route family numbers, AFI << 16 | SAFI. */
export const GOBGP_FAMILIES: Readonly<Record<number, Family>> = { 65537: 'ipv4-unicast', 131073: 'ipv6-unicast' };

const AFI_FAMILIES: Readonly<Record<AfiSafiFamily['afi'], Family>> = { AFI_IP: 'ipv4-unicast', AFI_IP6: 'ipv6-unicast' };

/**
 * The speaker's own settings on this node, without peers and routes. `families` is not the
 * engine's: it is what a peer without `afiSafis` carries.
 */
export interface SpeakerBase extends Omit<SpeakerConfig, 'peers' | 'routes'> {
  families?: Family[];
}

/** What restarts the Speaker when it changes: our OPEN's AS and identifier, the listener, and the RIB's own settings. */
export function identityOf(base: SpeakerBase): string {
  const { families: _families, addresses: _addresses, ...identity } = base;
  return JSON.stringify(identity);
}

function nodeLabels(node: V1Node): Record<string, string> {
  return node.metadata?.labels ?? {};
}

/** The AS of this node: its rack's in `asPerRack`, else `as` (OpenELB). */
export function nodeAs(conf: BgpConf, node: V1Node): number {
  const rack = nodeLabels(node)[RACK_LABEL];
  const perRack = rack === undefined ? undefined : conf.spec.asPerRack?.[rack];
  return perRack ?? conf.spec.as;
}

/**
 * GoBGP's graceful restart fields in the engine's terms. `helperOnly` announces a restart time of
 * 0: we help peers restart but ask them to keep nothing of ours (RFC 4724 section 3).
 * `staleRoutesTime` is how long a returning peer's stale routes wait for its End-of-RIB (RFC 4724
 * section 4.2). `deferralTime`, `notificationEnabled` (the engine never sets the N bit, RFC 8538)
 * and `peerRestartTime` have no engine counterpart.
 */
export function gracefulRestartOf(gr: GracefulRestart | undefined): GracefulRestartSettings | undefined {
  if (gr?.enabled !== true) return undefined;
  return {
    restartTime: gr.helperOnly === true ? 0 : (gr.restartTime ?? 120),
    restarting: false,
    llgrStaleTime: gr.longlivedEnabled === true ? LONG_LIVED_STALE_TIME : 0,
    stalePathTime: gr.staleRoutesTime ?? 360,
  };
}

/** The engine's complaint about settings it cannot run, as a value. */
function problemOf(error: unknown): string {
  return error instanceof ConfigError ? error.message : String((error as Error).message ?? error);
}

/** The speaker's settings on this node from BgpConf `default`, checked by the engine's own rules. */
export function speakerSettings(conf: BgpConf, node: V1Node, addresses: NodeAddresses): Result<SpeakerBase> {
  const spec = conf.spec;
  const routerId = spec.routerId ?? addresses.ipv4;
  if (routerId === undefined) {
    return { ok: false, error: 'routerId: not set, and the node has no IPv4 address to take it from' };
  }
  // GoBGP's rule, which OpenELB passes on: 0 or absent is the BGP port.
  const port = spec.listenPort === undefined || spec.listenPort === 0 ? BGP_PORT : spec.listenPort;
  const base: SpeakerBase = {
    asn: nodeAs(conf, node),
    routerId,
    // The RIB's default CLUSTER_ID is the router id; naming it lets BgpPeer routeReflectorClient work.
    clusterId: routerId,
    listen: port === NO_LISTENER ? [] : (spec.listenAddresses ?? DEFAULT_LISTEN_ADDRESSES).map((address) => ({ address, port })),
    addresses: { ...addresses },
  };
  if (spec.useMultiplePaths === true) base.multipath = { upTo: 'igp-cost', relaxAsPath: true, maximumPaths: 8 };
  const gracefulRestart = gracefulRestartOf(spec.gracefulRestart);
  if (gracefulRestart !== undefined) base.gracefulRestart = gracefulRestart;
  if (spec.families !== undefined) {
    const unknown = spec.families.filter((number) => GOBGP_FAMILIES[number] === undefined);
    if (unknown.length > 0) return { ok: false, error: `families: ${unknown.join(', ')} not supported (65537 IPv4 unicast, 131073 IPv6 unicast)` };
    base.families = [...new Set(spec.families.map((number) => GOBGP_FAMILIES[number]))];
  }
  try {
    const { families: _families, ...engine } = base;
    speakerConfig({ ...engine, peers: [], routes: [] });
  } catch (error) {
    return { ok: false, error: problemOf(error) };
  }
  return { ok: true, value: base };
}

/** The peer is for this node: no `nodeSelector` means every node (OpenELB). */
export function peerSelected(peer: BgpPeer, node: V1Node): boolean {
  const selector = peer.spec.nodeSelector;
  return selector === undefined || labelSelectorMatches(selector, nodeLabels(node));
}

/** A Secret by `namespace/name`, as the store holds it. */
export type SecretLookup = (key: ObjectKey) => V1Secret | undefined;

/** The TCP-MD5 key: the manifest's, or the Secret's (its `data` in base64, or `stringData`). */
function password(peer: BgpPeer, secrets: SecretLookup): Result<string | undefined> {
  const { authPassword, authPasswordSecretRef: ref } = peer.spec.conf;
  if (ref === undefined) return { ok: true, value: authPassword === '' ? undefined : authPassword };
  if (authPassword !== undefined && authPassword !== '') {
    return { ok: false, error: 'conf: authPassword and authPasswordSecretRef are both set' };
  }
  const secret = secrets(`${ref.namespace}/${ref.name}`);
  if (secret === undefined) return { ok: false, error: `conf.authPasswordSecretRef: Secret ${ref.namespace}/${ref.name} not found` };
  const encoded = secret.data?.[ref.key];
  const value = encoded !== undefined ? Buffer.from(encoded, 'base64').toString('utf8') : secret.stringData?.[ref.key];
  if (value === undefined || value === '') {
    return { ok: false, error: `conf.authPasswordSecretRef: Secret ${ref.namespace}/${ref.name} has no key ${ref.key}` };
  }
  return { ok: true, value };
}

/**
 * Porter's extensions as one export policy statement that accepts every route and sets them:
 * communities and large communities added, LOCAL_PREF (sent on iBGP only, RFC 4271 section
 * 5.1.5) and MED.
 */
export function exportPolicyOf(peer: BgpPeer): Result<Policy | undefined> {
  const spec = peer.spec;
  const actions: PolicyActions = {};
  if (spec.communities !== undefined && spec.communities.length > 0) actions.communities = { add: spec.communities };
  if (spec.largeCommunities !== undefined && spec.largeCommunities.length > 0) actions.largeCommunities = { add: spec.largeCommunities };
  if (spec.localPref !== undefined) actions.localPref = spec.localPref;
  if (spec.med !== undefined) actions.med = spec.med;
  if (Object.keys(actions).length === 0) return { ok: true, value: undefined };
  const policy: Policy = { statements: [{ actions, decision: 'accept' }] };
  let problem: string | undefined;
  try {
    problem = policyProblem(policy);
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem !== undefined) return { ok: false, error: `communities, largeCommunities, localPref or med: ${problem}` };
  return { ok: true, value: policy };
}

/** The families a peer carries: its enabled `afiSafis`, else BgpConf's `families`, else its address's. */
function familiesOf(peer: BgpPeer, address: string, defaults: Family[] | undefined): Family[] {
  const listed = (peer.spec.afiSafis ?? [])
    .filter((afiSafi) => afiSafi.config.enabled !== false)
    .map((afiSafi) => AFI_FAMILIES[afiSafi.config.family.afi])
    .filter((family) => family !== undefined);
  if (listed.length > 0) return [...new Set(listed)];
  if (defaults !== undefined && defaults.length > 0) return defaults;
  return [isIpv4(address) ? 'ipv4-unicast' : 'ipv6-unicast'];
}

/** ADD-PATH per family (RFC 7911): `receive` and `sendMax` > 0 of each enabled family. */
function addPathOf(peer: BgpPeer): { addPath: Partial<Record<Family, AddPathMode>>; sendMax?: number } {
  const addPath: Partial<Record<Family, AddPathMode>> = {};
  let sendMax: number | undefined;
  for (const afiSafi of peer.spec.afiSafis ?? []) {
    if (afiSafi.config.enabled === false) continue;
    const family = AFI_FAMILIES[afiSafi.config.family.afi];
    const config = afiSafi.addPaths?.config;
    if (family === undefined || config === undefined) continue;
    const receive = config.receive === true;
    const send = (config.sendMax ?? 0) > 0;
    if (send) sendMax = Math.max(sendMax ?? 0, config.sendMax ?? 0);
    if (receive || send) addPath[family] = receive && send ? 'both' : receive ? 'receive' : 'send';
  }
  return sendMax === undefined ? { addPath } : { addPath, sendMax };
}

/** Options the peer's settings depend on beyond the BgpPeer itself. */
export interface PeerContext {
  secrets: SecretLookup;
  /** BgpConf `families`, for peers without `afiSafis`. */
  families?: Family[];
  /** Our AS on this node: a peer's `conf.localAs` must be it, since one Speaker has one AS. */
  localAs?: number;
  /** The node's addresses: the default source of a session, of the neighbour's family. */
  nodeAddresses?: NodeAddresses;
}

/**
 * One BgpPeer as the engine's peer settings, checked by the engine's own rules. `adminDown` is
 * not a setting but a state: the caller disables the peer.
 */
export function peerSettings(peer: BgpPeer, context: PeerContext): Result<SpeakerPeerConfig> {
  const spec = peer.spec;
  const conf = spec.conf;
  const address = typeof conf?.neighborAddress === 'string' ? canonicalAddress(conf.neighborAddress) : undefined;
  if (address === undefined) return { ok: false, error: `conf.neighborAddress: ${JSON.stringify(conf?.neighborAddress)} is not an IP address` };
  if (conf.localAs !== undefined && context.localAs !== undefined && conf.localAs !== context.localAs) {
    return { ok: false, error: `conf.localAs: ${conf.localAs} differs from this node's AS ${context.localAs}; a per-peer local AS is not supported` };
  }
  const settings: SpeakerPeerConfig = { address, asn: conf.peerAs, families: familiesOf(peer, address, context.families) };
  const key = password(peer, context.secrets);
  if (!key.ok) return key;
  if (key.value !== undefined) settings.password = key.value;
  if (conf.description !== undefined && conf.description !== '') settings.description = conf.description;
  if (spec.ebgpMultihop?.enabled === true) settings.multihop = spec.ebgpMultihop.multihopTtl ?? DEFAULT_MULTIHOP_TTL;
  const timers = spec.timers?.config;
  for (const [field, key] of [['holdTime', 'holdTime'], ['connectRetry', 'connectRetry']] as const) {
    const given = timers?.[field];
    if (given === undefined) continue;
    const seconds = timerSeconds(given);
    if (seconds === undefined) return { ok: false, error: `timers.config.${field}: ${JSON.stringify(given)} is not a number of seconds` };
    settings[key] = seconds;
  }
  const transport = spec.transport;
  if (transport?.passiveMode === true) settings.passive = true;
  if (transport?.remotePort !== undefined) settings.port = transport.remotePort;
  if (transport?.localAddress !== undefined && transport.localAddress !== '') settings.localAddress = transport.localAddress;
  else {
    // The session leaves from the address announced as next hop, so a peer sees one node as one
    // neighbour whatever the host's routing picks (and several nodes on one host stay apart).
    const own = isIpv4(address) ? context.nodeAddresses?.ipv4 : context.nodeAddresses?.ipv6;
    if (own !== undefined) settings.localAddress = own;
  }
  const { addPath, sendMax } = addPathOf(peer);
  if (Object.keys(addPath).length > 0) settings.addPath = addPath;
  if (sendMax !== undefined) settings.addPathSendMax = sendMax;
  if (spec.gracefulRestart?.enabled !== undefined) settings.gracefulRestart = spec.gracefulRestart.enabled;
  if (spec.gracefulRestart?.longlivedEnabled === true) settings.llgr = true;
  if (spec.routeReflectorClient === true) settings.rrClient = true;
  if (spec.maxPrefix !== undefined) settings.maxPrefix = spec.maxPrefix;
  const exportPolicy = exportPolicyOf(peer);
  if (!exportPolicy.ok) return exportPolicy;
  if (exportPolicy.value !== undefined) settings.exportPolicy = exportPolicy.value;
  try {
    return { ok: true, value: checkedPeer(settings, 'spec') };
  } catch (error) {
    return { ok: false, error: problemOf(error) };
  }
}
