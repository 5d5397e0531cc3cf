/**
 * The model of ECMP next-hop selection shared by the TypeScript reference and the Rust core
 * (native/core/src/ecmp). docs/ecmp.md describes the hash, the flow layout and each policy.
 */

/** An expected failure, as a value. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** One next hop of a group: a unique name (an address, a node name) and an integer weight. */
export interface NextHop {
  /** Identifies the next hop across group changes; Maglev hashes its UTF-8 bytes. */
  name: string;
  /** A positive integer, such as link bandwidth in Mbit/s or the count of endpoints behind it. */
  weight: number;
}

/** The next hops a destination is spread over. Selection answers indices into `nextHops`. */
export interface NextHopGroup {
  nextHops: NextHop[];
}

/** The registered selection policies (engine/ecmp/policies/registry.ts). */
export type PolicyName = 'modulo' | 'resilient' | 'maglev';

/** A policy and its table size: resilient buckets, or the Maglev table size M (a prime). */
export interface PolicyConfig {
  policy: PolicyName;
  /** Buckets (resilient) or M (maglev); ignored by modulo, whose table is the sum of reduced weights. */
  size?: number;
}

/** The previous state of a group, for policies that keep flows where they were (resilient). */
export interface PreviousTable {
  group: NextHopGroup;
  table: Uint32Array;
}

/**
 * What every policy compiles a group into: a table of next-hop indices. A flow whose hash is `h`
 * goes to `entries[h % entries.length]`, so one batch function serves every policy.
 */
export interface SelectionTable {
  policy: PolicyName;
  entries: Uint32Array;
}

/** Which fields of a flow are hashed. */
export type HashFields = 'five-tuple' | 'l3';

export type FlowFamily = 'ipv4' | 'ipv6';

/**
 * Flows as one Uint32Array, a fixed-width record per flow (docs/ecmp.md, "Flow layout"): IPv4 records
 * are 4 words (src, dst, proto, sport << 16 | dport), IPv6 ones 10 (src as 4 words, dst as 4 words,
 * proto, ports). Addresses are in network order, each word read big-endian from its 4 octets.
 */
export interface FlowBatch {
  family: FlowFamily;
  count: number;
  words: Uint32Array;
}

/** How flows are hashed: the fields and the 32-bit seed of XXH32. */
export interface HashConfig {
  fields: HashFields;
  seed: number;
}

/** The operations each implementation (TypeScript, Rust addon) provides. */
export interface EcmpEngine {
  name: 'ts' | 'native';
  /** Compiles a group under a policy; `previous` lets resilient tables move as few flows as they can. */
  buildTable(group: NextHopGroup, config: PolicyConfig, previous?: PreviousTable): Result<SelectionTable>;
  /** The next-hop index of every flow of the batch, in `out` when given (at least `flows.count` long). */
  selectBatch(table: SelectionTable, flows: FlowBatch, hash: HashConfig, out?: Uint32Array): Uint32Array;
}
