/**
 * A peer as the driver runs it: the session configuration the FSM reads (config.ts) and the
 * transport around it: addresses and ports, TCP-MD5 (RFC 2385), the TTL of eBGP multihop and GTSM
 * (RFC 5082). Also which configuration changes need the session to start over.
 */
import { formatIpv4, formatIpv6, parseIpv4Into, parseIpv6Into } from '../wire/address.ts';
import { sessionConfig, type SessionConfigInput } from './config.ts';
import type { SessionConfig } from './types.ts';

/** RFC 4271 section 8.2.1: BGP listens on TCP port 179. */
export const BGP_PORT = 179;

/** RFC 2385 keys travel in `struct tcp_md5sig`, at most 80 octets (TCP_MD5SIG_MAXKEYLEN). */
const MD5_KEY_LIMIT = 80;

/** RFC 5082 section 3: GTSM sends with the largest TTL, so that each hop can only lower it. */
export const GTSM_TTL = 255;

export interface PeerTransport {
  /** The peer's address: it identifies the peer, on our connections and on the ones it opens. */
  remoteAddress: string;
  /** Where the peer listens. */
  remotePort: number;
  /** Address our connections leave from; the system picks one when absent. */
  localAddress?: string;
  /** Port our connections leave from; an ephemeral one when absent. */
  localPort?: number;
  /** TCP-MD5 key (RFC 2385), on our connections and on the listener for the peer's. */
  password?: string;
  /**
   * TTL of the packets we send, for eBGP multihop. Without it, an eBGP session sends with TTL 1
   * (the peer is directly connected) and an iBGP one with the system default.
   */
  ttl?: number;
  /** GTSM (RFC 5082): how many hops away the peer is; we send TTL 255 and accept no less than 256 - hops. */
  ttlSecurityHops?: number;
}

export interface PeerConfig {
  session: SessionConfig;
  transport: PeerTransport;
}

/** What a peer must state: the session's required fields and the peer's address; the rest has defaults. */
export type PeerConfigInput = SessionConfigInput & Pick<PeerTransport, 'remoteAddress'> & Partial<PeerTransport>;

const TRANSPORT_KEYS = [
  'remoteAddress',
  'remotePort',
  'localAddress',
  'localPort',
  'password',
  'ttl',
  'ttlSecurityHops',
] as const satisfies readonly (keyof PeerTransport)[];

/**
 * An address in one spelling, so that a peer is found whatever form its address takes: IPv4 dotted,
 * an IPv4-mapped IPv6 address as its IPv4 address (a dual-stack listener reports IPv4 peers so),
 * IPv6 as RFC 5952 prints it. Undefined for text that is not an address.
 */
export function canonicalAddress(text: string): string | undefined {
  const bytes = new Uint8Array(16);
  if (parseIpv4Into(text, bytes, 0)) return formatIpv4(bytes, 0);
  if (!parseIpv6Into(text, bytes, 0)) return undefined;
  const mapped = bytes.subarray(0, 10).every((octet) => octet === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? formatIpv4(bytes, 12) : formatIpv6(bytes, 0);
}

export function isIpv4(address: string): boolean {
  return parseIpv4Into(address, new Uint8Array(4), 0);
}

const isPort = (value: number, low: number) => Number.isInteger(value) && value >= low && value <= 0xffff;
const isTtl = (value: number) => Number.isInteger(value) && value >= 1 && value <= 255;

/** What is wrong with a transport no connection could run with, or undefined. */
export function transportProblem(transport: PeerTransport): string | undefined {
  const remote = canonicalAddress(transport.remoteAddress);
  if (remote === undefined) return `remote address ${transport.remoteAddress} is not an IP address`;
  if (!isPort(transport.remotePort, 1)) return `remote port ${transport.remotePort} is not a port`;
  if (transport.localAddress !== undefined) {
    const local = canonicalAddress(transport.localAddress);
    if (local === undefined) return `local address ${transport.localAddress} is not an IP address`;
    if (isIpv4(local) !== isIpv4(remote)) return `local address ${local} and remote address ${remote} differ in family`;
  }
  if (transport.localPort !== undefined && !isPort(transport.localPort, 0)) {
    return `local port ${transport.localPort} is not a port`;
  }
  if (transport.password !== undefined) {
    const octets = Buffer.byteLength(transport.password);
    if (octets === 0 || octets > MD5_KEY_LIMIT) return `a TCP-MD5 password has 1 to ${MD5_KEY_LIMIT} octets, not ${octets}`;
  }
  if (transport.ttl !== undefined && !isTtl(transport.ttl)) return `TTL ${transport.ttl} is not 1 to 255`;
  const hops = transport.ttlSecurityHops;
  if (hops !== undefined) {
    if (!Number.isInteger(hops) || hops < 1 || hops > 254) return `GTSM hops ${hops} is not 1 to 254`;
    if (transport.ttl !== undefined) return 'a TTL and GTSM exclude each other: GTSM sends with TTL 255';
  }
  return undefined;
}

/** Fills in the defaults of both halves; throws RangeError on a configuration no session could run with. */
export function peerConfig(input: PeerConfigInput): PeerConfig {
  const session: Record<string, unknown> = {};
  const transport: Record<string, unknown> = { remotePort: BGP_PORT };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if ((TRANSPORT_KEYS as readonly string[]).includes(key)) transport[key] = value;
    else session[key] = value;
  }
  const resolved = transport as unknown as PeerTransport;
  const problem = transportProblem(resolved);
  if (problem !== undefined) throw new RangeError(problem);
  resolved.remoteAddress = canonicalAddress(resolved.remoteAddress) as string;
  if (resolved.localAddress !== undefined) resolved.localAddress = canonicalAddress(resolved.localAddress);
  return { session: sessionConfig(session as SessionConfigInput), transport: resolved };
}

/** The socket options a peer's connections take. */
export interface SocketSettings {
  md5Key?: string;
  ttl?: number;
  minTtl?: number;
  /**
   * The options the peer's configuration asks for, which only the addon can set: without it the
   * peer does not run, rather than run unauthenticated or unprotected. The default TTL of 1 for
   * eBGP is not among them: without the addon, the system's TTL is used.
   */
  required: string[];
}

export function socketSettings({ session, transport }: PeerConfig): SocketSettings {
  const settings: SocketSettings = { required: [] };
  if (transport.password !== undefined) {
    settings.md5Key = transport.password;
    settings.required.push('TCP-MD5 (password)');
  }
  if (transport.ttlSecurityHops !== undefined) {
    // RFC 5082 section 3: accept TTL 255 - (hops - 1) and above.
    settings.ttl = GTSM_TTL;
    settings.minTtl = GTSM_TTL - transport.ttlSecurityHops + 1;
    settings.required.push('GTSM (ttlSecurityHops)');
  } else if (transport.ttl !== undefined) {
    settings.ttl = transport.ttl;
    settings.required.push('TTL (ttl)');
  } else if (session.peerAs !== session.localAs) {
    settings.ttl = 1;
  }
  return settings;
}

/**
 * What changing a peer's configuration does to its running session. The OPEN (AS numbers,
 * identifier, capabilities) and the transport the connection was made with take effect only on a
 * new session, so a change there starts the session over (Cease/6, Other Configuration Change,
 * RFC 4486 section 4). Everything else (hold time, retry timers, DelayOpen, passive, ports, the
 * required capabilities) applies from the next use without touching the session: a new hold time,
 * for instance, is proposed in the next OPEN.
 */
export type ConfigChange = 'none' | 'reset';

const RESET_SESSION_KEYS = [
  'localAs',
  'routerId',
  'peerAs',
  'families',
  'routeRefresh',
  'enhancedRouteRefresh',
  'extendedMessage',
  'addPath',
  'extendedNextHop',
  'gracefulRestart',
  'longLivedGracefulRestart',
] as const satisfies readonly (keyof SessionConfig)[];

const RESET_TRANSPORT_KEYS = [
  'localAddress',
  'password',
  'ttl',
  'ttlSecurityHops',
] as const satisfies readonly (keyof PeerTransport)[];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Throws when `after` is another peer (the remote address identifies one). */
export function configChange(before: PeerConfig, after: PeerConfig): ConfigChange {
  if (before.transport.remoteAddress !== after.transport.remoteAddress) {
    throw new RangeError('the remote address identifies the peer: remove the peer and add the new one');
  }
  const reset =
    RESET_SESSION_KEYS.some((key) => !same(before.session[key], after.session[key])) ||
    RESET_TRANSPORT_KEYS.some((key) => !same(before.transport[key], after.transport[key]));
  return reset ? 'reset' : 'none';
}
