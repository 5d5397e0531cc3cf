/**
 * The configuration of one speaker, as the standalone process reads it from JSON and the Speaker
 * API takes it: our AS and identifier, where we listen, route selection, graceful restart, the
 * peers and the routes we originate. `speakerConfig()` checks a parsed document field by field and
 * names the field in every complaint, so an operator can find the line to fix.
 */
import type { MultipathOptions, TieBreakerName } from '../rib/best-path/types.ts';
import { policyProblem, type Policy } from '../rib/policy.ts';
import { canonicalAddress, isIpv4 } from '../session/driver-config.ts';
import type { ListenAddress } from '../session/listener.ts';
import type { Family, PathAttribute } from '../wire/types.ts';

/** The families a speaker carries: unicast routes, the ones a load balancer announces. */
export const SPEAKER_FAMILIES = ['ipv4-unicast', 'ipv6-unicast'] as const;

export type AddPathMode = 'receive' | 'send' | 'both';

export interface SpeakerPeerConfig {
  /** The peer's transport address; it names the peer. */
  address: string;
  asn: number;
  /** Address our connections leave from; also our next hop self in its family. */
  localAddress?: string;
  /** Where the peer listens; 179 by default. */
  port?: number;
  /** Never connect, wait for the peer. */
  passive?: boolean;
  /** Default: ipv4-unicast. */
  families?: Family[];
  addPath?: Partial<Record<Family, AddPathMode>>;
  /** With ADD-PATH send: at most this many paths per prefix; every multipath member by default. */
  addPathSendMax?: number;
  rrClient?: boolean;
  /** Our address as next hop of every route sent, iBGP included. */
  nextHopSelf?: boolean;
  holdTime?: number;
  /** ConnectRetry seconds, the base of its backoff. */
  connectRetry?: number;
  /** The longest wait between connection attempts, however many failed; 120 s by default. */
  connectRetryMax?: number;
  /** TCP-MD5 key (RFC 2385). */
  password?: string;
  /** GTSM (RFC 5082): how many hops away the peer may be. */
  ttlSecurity?: number;
  /** eBGP multihop: the TTL we send with. */
  multihop?: number;
  maxPrefix?: number;
  /** RFC 8950: IPv4 routes with IPv6 next hops, both ways. */
  extendedNextHop?: boolean;
  extendedMessage?: boolean;
  /** Announce graceful restart to this peer and help it restart; default true when the speaker has `gracefulRestart`. */
  gracefulRestart?: boolean;
  /** Announce long-lived graceful restart (RFC 9494) when the speaker has an LLGR stale time. */
  llgr?: boolean;
  importPolicy?: Policy;
  exportPolicy?: Policy;
  description?: string;
}

export interface GracefulRestartSettings {
  /** Seconds peers keep our routes while we restart (RFC 4724 section 3, 12 bits). */
  restartTime: number;
  /** We are coming back from a restart: the R bit in our OPENs. */
  restarting: boolean;
  /** Seconds peers keep our routes after the restart time, long-lived (RFC 9494); 0: no LLGR. */
  llgrStaleTime: number;
  /** Seconds a returning peer has to send its End-of-RIB before its stale paths go (RFC 4724 section 4.2). */
  stalePathTime: number;
}

/** A route we originate, as configured and as the control socket announces it. */
export interface RouteConfig {
  prefix: string;
  /** Absent: our own address on each session. */
  nextHop?: string;
  pathId?: number;
  attributes?: PathAttribute[];
}

export interface SpeakerConfig {
  asn: number;
  routerId: string;
  /** Set: we reflect routes to `rrClient` peers (RFC 4456) with this CLUSTER_ID. */
  clusterId?: string;
  listen: ListenAddress[];
  multipath?: MultipathOptions;
  gracefulRestart?: GracefulRestartSettings;
  /** Our addresses for next hop self in the family a session's transport does not carry. */
  addresses?: { ipv4?: string; ipv6?: string };
  peers: SpeakerPeerConfig[];
  routes: RouteConfig[];
}

/** A configuration that cannot run, with the field at fault. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const TIE_BREAKERS: TieBreakerName[] = [
  'validity', 'llgr-stale', 'local-pref', 'local-origin', 'as-path-length', 'origin', 'med',
  'ebgp-over-ibgp', 'igp-cost', 'oldest-external', 'router-id', 'cluster-list-length', 'peer-address', 'path-id',
];

type Fields = Record<string, unknown>;

function object(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(field, 'is not an object');
  return value as Fields;
}

function onlyKeys(value: Fields, field: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new ConfigError(field === '' ? key : `${field}.${key}`, 'is not a known setting');
  }
}

function integer(value: unknown, field: string, low: number, high: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new ConfigError(field, `${JSON.stringify(value)} is not an integer from ${low} to ${high}`);
  }
  return value;
}

function asn(value: unknown, field: string): number {
  return integer(value, field, 1, 0xffffffff);
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(field, `${JSON.stringify(value)} is not true or false`);
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ConfigError(field, `${JSON.stringify(value)} is not a string`);
  return value;
}

export function address(value: unknown, field: string): string {
  const canonical = typeof value === 'string' ? canonicalAddress(value) : undefined;
  if (canonical === undefined) throw new ConfigError(field, `${JSON.stringify(value)} is not an IP address`);
  return canonical;
}

/** RFC 6286: a non-zero 4-octet identifier, written as an IPv4 address. */
function identifier(value: unknown, field: string): string {
  const canonical = address(value, field);
  if (!isIpv4(canonical) || canonical === '0.0.0.0') throw new ConfigError(field, `${canonical} is not a non-zero IPv4 address`);
  return canonical;
}

function family(value: unknown, field: string): Family {
  if (!(SPEAKER_FAMILIES as readonly unknown[]).includes(value)) {
    throw new ConfigError(field, `unknown family ${JSON.stringify(value)} (known: ${SPEAKER_FAMILIES.join(', ')})`);
  }
  return value as Family;
}

function policy(value: unknown, field: string): Policy {
  const checked = object(value, field) as unknown as Policy;
  if (!Array.isArray(checked.statements)) throw new ConfigError(`${field}.statements`, 'is not a list');
  let problem: string | undefined;
  try {
    problem = policyProblem(checked);
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem !== undefined) throw new ConfigError(field, problem);
  return checked;
}

function optional<T>(fields: Fields, key: string, field: string, read: (value: unknown, field: string) => T): T | undefined {
  const value = fields[key];
  return value === undefined ? undefined : read(value, field === '' ? key : `${field}.${key}`);
}

const PEER_KEYS = [
  'address', 'asn', 'localAddress', 'port', 'passive', 'families', 'addPath', 'addPathSendMax', 'rrClient',
  'nextHopSelf', 'holdTime', 'connectRetry', 'connectRetryMax', 'password', 'ttlSecurity', 'multihop', 'maxPrefix',
  'extendedNextHop', 'extendedMessage', 'gracefulRestart', 'llgr', 'importPolicy', 'exportPolicy', 'description',
] as const;

/** One peer's settings, checked; `field` names it in complaints (`peers[2]`). */
export function peerSettings(value: unknown, field: string): SpeakerPeerConfig {
  const fields = object(value, field);
  onlyKeys(fields, field, PEER_KEYS);
  const peer: SpeakerPeerConfig = {
    address: address(fields.address, `${field}.address`),
    asn: asn(fields.asn, `${field}.asn`),
  };
  const localAddress = optional(fields, 'localAddress', field, address);
  if (localAddress !== undefined) {
    if (isIpv4(localAddress) !== isIpv4(peer.address)) {
      throw new ConfigError(`${field}.localAddress`, `${localAddress} is not of the family of ${peer.address}`);
    }
    peer.localAddress = localAddress;
  }
  const set = <K extends keyof SpeakerPeerConfig>(key: K, read: (value: unknown, field: string) => SpeakerPeerConfig[K]) => {
    const result = optional(fields, key, field, read);
    if (result !== undefined) peer[key] = result;
  };
  set('port', (v, f) => integer(v, f, 1, 0xffff));
  set('passive', boolean);
  set('families', (v, f) => {
    if (!Array.isArray(v) || v.length === 0) throw new ConfigError(f, 'is not a non-empty list of families');
    return [...new Set(v.map((item, index) => family(item, `${f}[${index}]`)))];
  });
  set('addPath', (v, f) => {
    const modes: Partial<Record<Family, AddPathMode>> = {};
    for (const [key, mode] of Object.entries(object(v, f))) {
      family(key, `${f}.${key}`);
      if (mode !== 'receive' && mode !== 'send' && mode !== 'both') {
        throw new ConfigError(`${f}.${key}`, `${JSON.stringify(mode)} is not receive, send or both`);
      }
      modes[key] = mode;
    }
    return modes;
  });
  set('addPathSendMax', (v, f) => integer(v, f, 1, 0xffff));
  set('rrClient', boolean);
  set('nextHopSelf', boolean);
  set('holdTime', (v, f) => {
    const seconds = integer(v, f, 0, 0xffff);
    if (seconds === 1 || seconds === 2) throw new ConfigError(f, 'is 0 or at least 3 seconds (RFC 4271 section 4.2)');
    return seconds;
  });
  set('connectRetry', (v, f) => integer(v, f, 1, 3600));
  set('connectRetryMax', (v, f) => integer(v, f, 1, 3600));
  if (peer.connectRetryMax !== undefined && peer.connectRetryMax < (peer.connectRetry ?? 1)) {
    throw new ConfigError(`${field}.connectRetryMax`, `${peer.connectRetryMax} is less than connectRetry`);
  }
  set('password', (v, f) => {
    const key = text(v, f);
    if (key.length === 0 || Buffer.byteLength(key) > 80) throw new ConfigError(f, 'has 1 to 80 octets');
    return key;
  });
  set('ttlSecurity', (v, f) => integer(v, f, 1, 254));
  set('multihop', (v, f) => integer(v, f, 1, 255));
  set('maxPrefix', (v, f) => integer(v, f, 1, 0xffffffff));
  set('extendedNextHop', boolean);
  set('extendedMessage', boolean);
  set('gracefulRestart', boolean);
  set('llgr', boolean);
  set('importPolicy', policy);
  set('exportPolicy', policy);
  set('description', text);
  if (peer.ttlSecurity !== undefined && peer.multihop !== undefined) {
    throw new ConfigError(`${field}.multihop`, 'excludes ttlSecurity: GTSM sends with TTL 255');
  }
  for (const [key, mode] of Object.entries(peer.addPath ?? {})) {
    if (!(peer.families ?? ['ipv4-unicast']).includes(key)) {
      throw new ConfigError(`${field}.addPath.${key}`, `ADD-PATH ${mode} for a family the peer does not carry`);
    }
  }
  return peer;
}

/** A route to originate, checked; its attributes are checked by encoding when it is announced. */
export function routeSettings(value: unknown, field: string): RouteConfig {
  const fields = object(value, field);
  onlyKeys(fields, field, ['prefix', 'nextHop', 'pathId', 'attributes']);
  const route: RouteConfig = { prefix: text(fields.prefix, `${field}.prefix`) };
  const nextHop = optional(fields, 'nextHop', field, address);
  if (nextHop !== undefined) route.nextHop = nextHop;
  const pathId = optional(fields, 'pathId', field, (v, f) => integer(v, f, 0, 0xffffffff));
  if (pathId !== undefined) route.pathId = pathId;
  if (fields.attributes !== undefined) {
    if (!Array.isArray(fields.attributes)) throw new ConfigError(`${field}.attributes`, 'is not a list');
    fields.attributes.forEach((attribute, index) => {
      if (typeof object(attribute, `${field}.attributes[${index}]`).type !== 'string') {
        throw new ConfigError(`${field}.attributes[${index}].type`, 'is missing');
      }
    });
    route.attributes = fields.attributes as PathAttribute[];
  }
  return route;
}

function listenSettings(value: unknown, field: string): ListenAddress {
  const fields = object(value, field);
  onlyKeys(fields, field, ['address', 'port']);
  return { address: address(fields.address, `${field}.address`), port: integer(fields.port ?? 179, `${field}.port`, 0, 0xffff) };
}

function multipathSettings(value: unknown, field: string): MultipathOptions {
  const fields = object(value, field);
  onlyKeys(fields, field, ['upTo', 'relaxAsPath', 'maximumPaths']);
  const upTo = fields.upTo ?? 'igp-cost';
  if (!TIE_BREAKERS.includes(upTo as TieBreakerName)) {
    throw new ConfigError(`${field}.upTo`, `${JSON.stringify(upTo)} is not a tie-breaker (${TIE_BREAKERS.join(', ')})`);
  }
  return {
    upTo: upTo as TieBreakerName,
    relaxAsPath: boolean(fields.relaxAsPath ?? false, `${field}.relaxAsPath`),
    maximumPaths: integer(fields.maximumPaths ?? 8, `${field}.maximumPaths`, 1, 256),
  };
}

function gracefulRestartSettings(value: unknown, field: string): GracefulRestartSettings {
  const fields = object(value, field);
  onlyKeys(fields, field, ['restartTime', 'restarting', 'llgrStaleTime', 'stalePathTime']);
  return {
    // RFC 4724 section 3: 12 bits.
    restartTime: integer(fields.restartTime ?? 120, `${field}.restartTime`, 0, 4095),
    restarting: boolean(fields.restarting ?? false, `${field}.restarting`),
    // RFC 9494 section 3: 24 bits.
    llgrStaleTime: integer(fields.llgrStaleTime ?? 0, `${field}.llgrStaleTime`, 0, 0xffffff),
    stalePathTime: integer(fields.stalePathTime ?? 360, `${field}.stalePathTime`, 1, 0xffff),
  };
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(field, 'is not a list');
  return value;
}

/** Checks a parsed configuration document; throws ConfigError naming the first field at fault. */
export function speakerConfig(value: unknown): SpeakerConfig {
  const fields = object(value, 'config');
  onlyKeys(fields, '', ['asn', 'routerId', 'clusterId', 'listen', 'multipath', 'gracefulRestart', 'addresses', 'peers', 'routes']);
  const config: SpeakerConfig = {
    asn: asn(fields.asn, 'asn'),
    routerId: identifier(fields.routerId, 'routerId'),
    listen: list(fields.listen, 'listen').map((item, index) => listenSettings(item, `listen[${index}]`)),
    peers: list(fields.peers, 'peers').map((item, index) => peerSettings(item, `peers[${index}]`)),
    routes: list(fields.routes, 'routes').map((item, index) => routeSettings(item, `routes[${index}]`)),
  };
  const clusterId = optional(fields, 'clusterId', '', identifier);
  if (clusterId !== undefined) config.clusterId = clusterId;
  const multipath = optional(fields, 'multipath', '', multipathSettings);
  if (multipath !== undefined) config.multipath = multipath;
  const gracefulRestart = optional(fields, 'gracefulRestart', '', gracefulRestartSettings);
  if (gracefulRestart !== undefined) config.gracefulRestart = gracefulRestart;
  if (fields.addresses !== undefined) {
    const given = object(fields.addresses, 'addresses');
    onlyKeys(given, 'addresses', ['ipv4', 'ipv6']);
    const addresses: { ipv4?: string; ipv6?: string } = {};
    for (const key of ['ipv4', 'ipv6'] as const) {
      const found = optional(given, key, 'addresses', address);
      if (found === undefined) continue;
      if (isIpv4(found) !== (key === 'ipv4')) throw new ConfigError(`addresses.${key}`, `${found} is not an ${key} address`);
      addresses[key] = found;
    }
    config.addresses = addresses;
  }
  const seen = new Set<string>();
  config.peers.forEach((peer, index) => {
    if (seen.has(peer.address)) throw new ConfigError(`peers[${index}].address`, `${peer.address} is configured twice`);
    seen.add(peer.address);
  });
  return config;
}
