/** The shapes the address manager answers with. */
import type { IpFamily } from '../api/address-range.ts';

/**
 * An Eip as the address manager sees it. ready: allocating; disabled: keeps what it gave, gives
 * nothing new; invalid: its address does not parse; overlap: it overlaps an older Eip of its family;
 * unsupported: its protocol (layer2, vip) is not Porter's.
 */
export type PoolState = 'ready' | 'disabled' | 'invalid' | 'overlap' | 'unsupported';

/** One Eip's state after `setPools`, with a sentence for its status condition. */
export interface PoolReport {
  name: string;
  state: PoolState;
  message: string;
}

/** Why an allocation failed; the reason doubles as the Kubernetes Event reason. */
export type AllocationFailureReason =
  | 'PoolExhausted'
  | 'NoPool'
  | 'RequestedUnavailable'
  | 'SharingConflict'
  | 'InvalidRequest'
  | 'PoolNotReady';

export interface AllocationFailure {
  reason: AllocationFailureReason;
  message: string;
}

/** An address a Service holds and the Eip it belongs to ('' when no Eip contains it). */
export interface HeldAddress {
  ip: string;
  pool: string;
}

/** A family a PreferDualStack Service asked for and did not get. */
export interface SkippedFamily {
  family: IpFamily;
  reason: AllocationFailureReason;
  message: string;
}

export interface Allocation {
  /** One address per family granted, in the request's family order. */
  addresses: HeldAddress[];
  /** The Service's addresses differ from what it held before. */
  changed: boolean;
  /** PreferDualStack only: the families left without an address, and why. */
  skipped: SkippedFamily[];
}

export type AllocationResult = { ok: true; value: Allocation } | { ok: false; error: AllocationFailure };

/** An address held by Services although no working Eip contains it any more. */
export interface OrphanAddress {
  ip: string;
  /** The Services holding it, `namespace/name`, sorted. */
  keys: string[];
  /** The Eip that last contained it ('' when none ever did). */
  lastPool: string;
}

/** What `restore` rebuilt from a Service's status. */
export interface RestoreReport {
  /** The addresses now held, with their Eip ('' when outside every working Eip). */
  addresses: HeldAddress[];
  /** Held addresses outside every working Eip: kept, and listed by `orphans()`. */
  outside: string[];
  /** Entries that are not IP addresses; ignored. */
  invalid: string[];
  /** Addresses also held by Services this one may not share with. */
  conflicts: { ip: string; holders: string[]; reason: string }[];
}

/** One Eip's figures, for metrics. */
export interface PoolUsage {
  pool: string;
  family: IpFamily;
  state: PoolState;
  /** Addresses in the pool, clamped to Number.MAX_SAFE_INTEGER. */
  size: number;
  /** Addresses in use. */
  used: number;
  /** Services holding an address of the pool (a shared address counts each Service). */
  services: number;
}
