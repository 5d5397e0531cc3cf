/**
 * What the reflector benchmark's three processes tell each other over their IPC channels, and the
 * addressing they share: peer i connects from its own loopback address and announces its own /32s.
 */

/** The orchestrator's orders to the reflector process. */
export type ReflectorCommand =
  | { type: 'setup'; peers: number; asn: number; holdTime: number }
  | { type: 'go' }
  | { type: 'stats' };

export type ReflectorReport =
  | { type: 'ready'; port: number; codec: 'ts' | 'native' }
  | { type: 'stats'; stats: ReflectorStats }
  | { type: 'failed'; error: string };

/** The reflector's own figures over the measured window (from `go` to `stats`). */
export interface ReflectorStats {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** process.resourceUsage().maxRSS, in octets: the peak over the process's life. */
  peakRssBytes: number;
  /** Peak of V8's used heap, sampled every 100 ms and at the end. */
  peakHeapBytes: number;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution), in milliseconds. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** Sessions the speaker saw Established, and the peers it still had down at the end. */
  established: number;
  errors: string[];
}

/** The orchestrator's orders to the tester process. */
export type TesterCommand =
  | {
      type: 'setup'; peers: number; prefixes: number; asn: number; holdTime: number; port: number; timeoutSeconds: number;
      /** Decode every UPDATE with the codec as well, and check the counts agree (slow: for smoke runs). */
      verify: boolean;
    }
  | { type: 'go' };

export type TesterReport =
  | { type: 'ready' }
  | { type: 'done'; result: TesterResult }
  | { type: 'failed'; error: string };

/** Per BGP message type, what the reflector sent (as the tester received it). */
export interface MessageCount {
  messages: number;
  octets: number;
}

export interface TesterResult {
  /** From the first connect to the last session Established (KEEPALIVE received in OpenConfirm). */
  establishedSeconds: number;
  /** From the first connect to the moment every peer held every prefix of the others. */
  convergedSeconds: number;
  received: { update: MessageCount; keepalive: MessageCount; open: MessageCount; other: MessageCount };
  /** Prefixes the reflector sent back to the peer that announced them (RFC 4456 allows it). */
  ownPrefixesReflected: number;
  /** The tester's own CPU over the same window: when it nears the wall time, the tester is the bottleneck. */
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
}

/** The source address of peer `index`: 127.1.x.y, y from 1 to 250 (each a loopback address on Linux). */
export function peerAddress(index: number): string {
  return `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/** Largest peer count the addressing allows (127.1.0.1 to 127.1.255.250). */
export const MAX_PEERS = 256 * 250;

/** The /32s of peer `index`: 10.0.0.0/8 from `index × prefixes`, so a prefix names its announcer. */
export const PREFIX_BASE = 10 << 24;
