/**
 * The socket options of native/node/src/sockopt.rs: TCP-MD5 (RFC 2385), TTL for eBGP multihop and
 * GTSM (RFC 5082), and the connection attempt that sets them before its SYN. Node cannot set any of
 * them, so without the addon a peer that needs one cannot run (driver-config.ts says which).
 * Loading never throws: a missing or old addon is reported as a value.
 */
import { createRequire } from 'node:module';

export interface NativeConnectOptions {
  remoteAddress: string;
  remotePort: number;
  localAddress?: string;
  localPort?: number;
  md5Key?: string;
  ttl?: number;
  minTtl?: number;
  timeoutMs: number;
}

/** The functions of native/node/index.d.cts this module uses. */
export interface SocketOptionsBinding {
  /** Sets, or with an empty key removes, the TCP-MD5 key for a peer on a socket (listening or not). */
  setTcpMd5Key(fd: number, peerAddress: string, key: string): void;
  /** TTL (IPv4) or hop limit (IPv6) of the packets sent to the peer. */
  setSocketTtl(fd: number, peerAddress: string, ttl: number): void;
  /** Smallest TTL or hop limit accepted from the peer (IP_MINTTL, IPV6_MINHOPCOUNT). */
  setSocketMinTtl(fd: number, peerAddress: string, minTtl: number): void;
  getSocketTtl(fd: number, peerAddress: string): { ttl: number; minTtl: number };
  /** Connects with the options set before the SYN; resolves to the connected descriptor. */
  connectTcp(options: NativeConnectOptions): Promise<number>;
}

/** The binding, or why it is not there. */
export type SocketOptionsLoad = SocketOptionsBinding | { error: string };

const FUNCTIONS = ['setTcpMd5Key', 'setSocketTtl', 'setSocketMinTtl', 'getSocketTtl', 'connectTcp'] as const;

let loaded: SocketOptionsLoad | undefined;

function load(): SocketOptionsLoad {
  try {
    const binding = createRequire(import.meta.url)('../../native/node/index.cjs') as Partial<SocketOptionsBinding>;
    const missing = FUNCTIONS.filter((name) => typeof binding[name] !== 'function');
    if (missing.length > 0) return { error: `native addon lacks ${missing.join(', ')}: rebuild it with npm run build:native` };
    return binding as SocketOptionsBinding;
  } catch (error) {
    return { error: `native addon not loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The addon's socket options, loaded once. */
export function loadSocketOptions(): SocketOptionsLoad {
  loaded ??= load();
  return loaded;
}

export function isBinding(load: SocketOptionsLoad): load is SocketOptionsBinding {
  return !('error' in load);
}
