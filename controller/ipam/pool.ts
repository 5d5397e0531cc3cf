/**
 * One Eip as an address pool: its range, its standing (ready, disabled, ...), who may use it
 * automatically, and which of its addresses are in use.
 */
import { bigintToAddress, rangeSize, type AddressRange } from '../api/address-range.ts';
import { ANNOTATIONS, type Eip } from '../api/types.ts';
import { AddressSpace } from './address-space.ts';
import type { PoolState } from './types.ts';

/** Number.MAX_SAFE_INTEGER for sizes beyond it. */
export function clampedSize(size: bigint): number {
  // EipStatus.poolSize is an int in OpenELB's API and a JSON number here; an IPv6 /64 holds 2^64
  // addresses, more than a double counts exactly, so large sizes read as "at least this many".
  return size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(size);
}

/** An Eip with its parsed range and its used addresses. */
export class Pool {
  readonly name: string;
  /** Lower values are tried first (OpenELB sorts candidate Eips by ascending priority). */
  readonly priority: number;
  readonly namespaces: readonly string[];
  readonly namespaceSelector: Readonly<Record<string, string>> | undefined;
  readonly isDefault: boolean;
  /** Undefined when the Eip's address does not parse. */
  readonly space: AddressSpace | undefined;

  constructor(
    readonly eip: Eip,
    readonly range: AddressRange | undefined,
    readonly state: PoolState,
    readonly message: string,
  ) {
    this.name = eip.metadata?.name ?? '';
    this.priority = eip.spec?.priority ?? 0;
    this.namespaces = eip.spec?.namespaces ?? [];
    this.namespaceSelector = eip.spec?.namespaceSelector ?? undefined;
    this.isDefault = eip.metadata?.annotations?.[ANNOTATIONS.defaultEip] === 'true';
    this.space = range && new AddressSpace(range.first, range.last);
  }

  /** Holds addresses: ready, or disabled (which keeps what it gave). */
  get working(): boolean {
    return this.state === 'ready' || this.state === 'disabled';
  }

  contains(family: number, value: bigint): boolean {
    return this.range !== undefined && this.range.family === family && value >= this.range.first && value <= this.range.last;
  }

  /**
   * The Eip is bound to the namespace (OpenELB getDefaultEIP): it lists the namespace, or it has a
   * namespaceSelector and every pair matches the namespace's labels. An empty selector matches any
   * namespace whose labels are known, as an empty label selector does in Kubernetes.
   */
  servesNamespace(namespace: string, labels: Readonly<Record<string, string>> | undefined): boolean {
    if (this.namespaces.includes(namespace)) return true;
    if (this.namespaceSelector === undefined || labels === undefined) return false;
    return Object.entries(this.namespaceSelector).every(([key, value]) => labels[key] === value);
  }

  get size(): bigint {
    return this.range ? rangeSize(this.range) : 0n;
  }

  get firstIP(): string | undefined {
    return this.range && bigintToAddress(this.range.first, this.range.family);
  }

  get lastIP(): string | undefined {
    return this.range && bigintToAddress(this.range.last, this.range.family);
  }
}

/** Candidate order among pools: priority ascending (OpenELB), then name. */
export function comparePools(a: Pool, b: Pool): number {
  return a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
