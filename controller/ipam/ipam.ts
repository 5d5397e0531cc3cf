/**
 * Porter's address manager: which Service holds which address of which Eip. Pure state, no I/O: the
 * Service reconciler feeds it the Eips, namespace labels and each Service's request, writes the
 * answers to the API, and after a restart rebuilds it from the Services' status with `restore`, so
 * the API stays the only source of truth.
 *
 * Pool selection follows OpenELB (pkg/controllers/ipam/ipam.go): a named Eip; else the Eip that
 * contains the requested address; else the Eips bound to the Service's namespace, by ascending
 * priority; else the default Eip. Address sharing follows MetalLB (see address-sharing.ts).
 */
import {
  addressToBigint,
  bigintToAddress,
  canonicalIp,
  ipFamily,
  type IpFamily,
} from '../api/address-range.ts';
import { ANNOTATIONS, type Eip, type EipStatus } from '../api/types.ts';
import { sharingConflict } from './address-sharing.ts';
import type { AllocationOrder } from './allocation-order.ts';
import { createAllocationOrder, type AllocationOrderName } from './allocation-orders.ts';
import { classifyEips } from './pool-classification.ts';
import { clampedSize, comparePools, type Pool } from './pool.ts';
import type { ServiceRequest } from './service-request.ts';
import type {
  AllocationFailure,
  AllocationFailureReason,
  AllocationResult,
  HeldAddress,
  OrphanAddress,
  PoolReport,
  PoolUsage,
  RestoreReport,
  SkippedFamily,
} from './types.ts';

export type {
  Allocation,
  AllocationFailure,
  AllocationFailureReason,
  AllocationResult,
  HeldAddress,
  OrphanAddress,
  PoolReport,
  PoolState,
  PoolUsage,
  RestoreReport,
  SkippedFamily,
} from './types.ts';
export type { ServiceRequest } from './service-request.ts';
export type { AllocationOrderName } from './allocation-orders.ts';

/** How the address manager hands out addresses. */
export interface IpamOptions {
  /** Default `lowest`, as OpenELB. */
  allocationOrder?: AllocationOrderName;
  /** The randomness of the `random` order; Math.random by default. */
  random?: () => number;
}

interface Address {
  ip: string;
  family: IpFamily;
  value: bigint;
}

interface Holding {
  /** The request last granted or restored; unknown for a Service restored without it. */
  request?: ServiceRequest;
  addresses: Address[];
}

interface Home {
  /** The working Eip containing the address, or the last one that did ('' if none ever did). */
  pool: string;
  orphan: boolean;
}

type Chosen = { ok: true; value: Address } | { ok: false; error: AllocationFailure };

function fail(reason: AllocationFailureReason, message: string): { ok: false; error: AllocationFailure } {
  return { ok: false, error: { reason, message } };
}

function addressOf(ip: string): Address {
  return { ip, family: ipFamily(ip) as IpFamily, value: addressToBigint(ip) };
}

function names(pools: readonly Pool[]): string {
  return pools.map((pool) => pool.name).join(', ');
}

/** The address manager. Every method is synchronous and deterministic for a given order. */
export class Ipam {
  private readonly order: AllocationOrder;
  private pools = new Map<string, Pool>();
  private readonly namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  private readonly holdings = new Map<string, Holding>();
  /** Address -> the Services holding it. */
  private readonly holders = new Map<string, Set<string>>();
  private readonly homes = new Map<string, Home>();

  constructor(options: IpamOptions = {}) {
    this.order = createAllocationOrder(options.allocationOrder ?? 'lowest', { random: options.random ?? Math.random });
  }

  /**
   * Replaces the pools with these Eips and reports each one. Held addresses stay held: each moves to
   * the working Eip that now contains it, or becomes an orphan (see `orphans`).
   */
  setPools(eips: readonly Eip[]): PoolReport[] {
    const { pools, reports } = classifyEips(eips);
    this.pools = new Map(pools.map((pool) => [pool.name, pool]));
    for (const ip of this.holders.keys()) {
      const address = addressOf(ip);
      const pool = this.workingPoolContaining(address);
      pool?.space?.use(address.value);
      this.homes.set(ip, { pool: pool?.name ?? this.homes.get(ip)?.pool ?? '', orphan: pool === undefined });
    }
    return reports;
  }

  /** Records a namespace's labels, which Eip namespaceSelectors match. */
  setNamespaceLabels(namespace: string, labels: Record<string, string>): void {
    this.namespaceLabels.set(namespace, { ...labels });
  }

  /**
   * Makes the Service hold exactly these addresses, as its `status.loadBalancer.ingress` lists them
   * after a restart. Addresses outside every working Eip are held and reported, never dropped. Give
   * the Service's request when it can be read: sharing decisions need its ports and sharing key.
   */
  restore(key: string, addresses: readonly string[], request?: ServiceRequest): RestoreReport {
    const invalid: string[] = [];
    const restored: Address[] = [];
    for (const text of addresses) {
      const ip = canonicalIp(text);
      if (ip === undefined) invalid.push(text);
      else if (!restored.some((address) => address.ip === ip)) restored.push(addressOf(ip));
    }
    const previous = this.holdings.get(key);
    this.replaceHolding(key, previous?.addresses ?? [], restored);
    const terms = request ?? previous?.request;
    if (restored.length === 0) this.holdings.delete(key);
    else this.holdings.set(key, { request: terms, addresses: restored });

    const conflicts: RestoreReport['conflicts'] = [];
    for (const { ip } of restored) {
      const others = [...(this.holders.get(ip) ?? [])].filter((holder) => holder !== key);
      for (const other of others) {
        const otherTerms = this.holdings.get(other)?.request;
        const reason = terms && otherTerms && sharingConflict(terms, otherTerms);
        if (reason) {
          conflicts.push({ ip, holders: [key, ...others].sort(), reason });
          break;
        }
      }
    }
    return {
      addresses: restored.map(({ ip }) => this.held(ip)),
      outside: restored.filter(({ ip }) => this.homes.get(ip)?.orphan).map(({ ip }) => ip),
      invalid,
      conflicts,
    };
  }

  /**
   * Gives the Service one address per requested family, keeping every address it holds that still
   * satisfies the request. Nothing changes when it fails.
   */
  allocate(request: ServiceRequest): AllocationResult {
    const invalid = this.invalidRequest(request);
    if (invalid !== undefined) return fail('InvalidRequest', invalid);
    const holding = this.holdings.get(request.key);
    const planned: Address[] = [];
    const skipped: SkippedFamily[] = [];
    for (const family of request.families) {
      const current = holding?.addresses.find((address) => address.family === family);
      if (current && this.satisfies(current, request)) {
        planned.push(current);
        continue;
      }
      const chosen = this.choose(request, family);
      if (chosen.ok) planned.push(chosen.value);
      else if (request.familyPolicy === 'PreferDualStack') skipped.push({ family, ...chosen.error });
      else return chosen;
    }
    if (planned.length === 0) {
      const [first] = skipped;
      return fail(first.reason, first.message);
    }
    const before = holding?.addresses.map(({ ip }) => ip) ?? [];
    this.replaceHolding(request.key, holding?.addresses ?? [], planned);
    this.holdings.set(request.key, { request, addresses: planned });
    const changed = before.length !== planned.length || planned.some(({ ip }, index) => ip !== before[index]);
    return { ok: true, value: { addresses: planned.map(({ ip }) => this.held(ip)), changed, skipped } };
  }

  /** Forgets the Service; answers the addresses no other Service holds any more. */
  release(key: string): string[] {
    const holding = this.holdings.get(key);
    if (!holding) return [];
    this.holdings.delete(key);
    return holding.addresses.filter(({ ip }) => this.unhold(ip, key)).map(({ ip }) => ip);
  }

  /** The addresses the Service holds, or undefined when it holds none. */
  allocationOf(key: string): HeldAddress[] | undefined {
    return this.holdings.get(key)?.addresses.map(({ ip }) => this.held(ip));
  }

  /** The Eip's status as OpenELB writes it, or undefined for an unknown Eip. */
  poolStatus(name: string): EipStatus | undefined {
    const pool = this.pools.get(name);
    if (!pool) return undefined;
    const { range, space } = pool;
    if (!range || !space) return { ready: false, occupied: false, usage: 0, poolSize: 0, used: {} };
    const used: Record<string, string> = {};
    for (const value of space.usedValues()) {
      const ip = bigintToAddress(value, range.family);
      used[ip] = [...(this.holders.get(ip) ?? [])].sort().join(';');
    }
    return {
      occupied: BigInt(space.usedCount) === space.size,
      usage: space.usedCount,
      poolSize: clampedSize(space.size),
      used,
      firstIP: pool.firstIP,
      lastIP: pool.lastIP,
      ready: pool.state === 'ready',
      v4: range.family === 4,
    };
  }

  /** Every Eip with a range: size, addresses used and Services served. */
  usageByPool(): PoolUsage[] {
    const usage: PoolUsage[] = [];
    for (const pool of this.pools.values()) {
      if (!pool.range || !pool.space) continue;
      let services = 0;
      for (const value of pool.space.usedValues()) {
        services += this.holders.get(bigintToAddress(value, pool.range.family))?.size ?? 0;
      }
      usage.push({
        pool: pool.name,
        family: pool.range.family,
        state: pool.state,
        size: clampedSize(pool.space.size),
        used: pool.space.usedCount,
        services,
      });
    }
    return usage;
  }

  /** Held addresses that no working Eip contains (the Eip was deleted, or now overlaps or is invalid). */
  orphans(): OrphanAddress[] {
    const orphans: OrphanAddress[] = [];
    for (const [ip, keys] of this.holders) {
      const home = this.homes.get(ip);
      if (home?.orphan) orphans.push({ ip, keys: [...keys].sort(), lastPool: home.pool });
    }
    return orphans;
  }

  private held(ip: string): HeldAddress {
    return { ip, pool: this.homes.get(ip)?.pool ?? '' };
  }

  private invalidRequest(request: ServiceRequest): string | undefined {
    const { families, requested } = request;
    if (families.length === 0) return 'the request names no IP family';
    if (new Set(families).size !== families.length || families.some((family) => family !== 4 && family !== 6)) {
      return `families ${families.join(', ')} are not distinct IPv4/IPv6`;
    }
    const requestedFamilies = requested.map((ip) => (canonicalIp(ip) === ip ? ipFamily(ip) : undefined));
    const bad = requested.find((_, index) => !families.includes(requestedFamilies[index] as IpFamily));
    if (bad !== undefined) return `requested ${bad} is not a canonical address of the families IPv${families.join('/IPv')}`;
    if (new Set(requestedFamilies).size !== requested.length) return `requested ${requested.join(', ')} hold two of one family`;
    return undefined;
  }

  private workingPoolContaining(address: Address): Pool | undefined {
    for (const pool of this.pools.values()) {
      if (pool.working && pool.contains(address.family, address.value)) return pool;
    }
    return undefined;
  }

  /** Swaps a Service's addresses in the holder index; shared addresses stay with their others. */
  private replaceHolding(key: string, before: readonly Address[], after: readonly Address[]): void {
    for (const address of before) {
      if (!after.some(({ ip }) => ip === address.ip)) this.unhold(address.ip, key);
    }
    for (const address of after) {
      if (!before.some(({ ip }) => ip === address.ip)) this.hold(address, key);
    }
  }

  private hold(address: Address, key: string): void {
    const keys = this.holders.get(address.ip);
    if (keys) {
      keys.add(key);
      return;
    }
    this.holders.set(address.ip, new Set([key]));
    const pool = this.workingPoolContaining(address);
    pool?.space?.use(address.value);
    this.homes.set(address.ip, { pool: pool?.name ?? '', orphan: pool === undefined });
  }

  /** True when no Service holds the address any more. */
  private unhold(ip: string, key: string): boolean {
    const keys = this.holders.get(ip);
    if (!keys?.delete(key)) return false;
    if (keys.size > 0) return false;
    this.holders.delete(ip);
    const home = this.homes.get(ip);
    this.homes.delete(ip);
    if (home && !home.orphan) this.pools.get(home.pool)?.space?.free(addressToBigint(ip));
    return true;
  }

  /**
   * An address the Service holds still serves the request: it is the requested one (if any), in a
   * named Eip (if any), and the others holding it may still share it. A holder restored without
   * its request is not counted against it: a Service keeps its address on incomplete knowledge.
   */
  private satisfies(current: Address, request: ServiceRequest): boolean {
    const wanted = request.requested.find((ip) => ipFamily(ip) === current.family);
    if (wanted !== undefined && wanted !== current.ip) return false;
    if (request.pools.length > 0 && !request.pools.includes(this.homes.get(current.ip)?.pool ?? '')) return false;
    for (const other of this.holders.get(current.ip) ?? []) {
      const terms = other === request.key ? undefined : this.holdings.get(other)?.request;
      if (terms && sharingConflict(request, terms)) return false;
    }
    return true;
  }

  /** Why the Service may not join the holders of an address, or undefined when it may. */
  private joinProblem(ip: string, request: ServiceRequest): string | undefined {
    for (const other of this.holders.get(ip) ?? []) {
      if (other === request.key) continue;
      const terms = this.holdings.get(other)?.request;
      if (!terms) return `${other} holds it and its sharing terms are not known`;
      const reason = sharingConflict(request, terms);
      if (reason) return reason;
    }
    return undefined;
  }

  private choose(request: ServiceRequest, family: IpFamily): Chosen {
    const wanted = request.requested.find((ip) => ipFamily(ip) === family);
    if (request.pools.length > 0) return this.chooseFromNamed(request, family, wanted);
    if (wanted !== undefined) return this.chooseRequested(request, wanted);
    return this.chooseAutomatically(request, family);
  }

  /** OpenELB: the annotation names the Eip; a requested address must lie in it. */
  private chooseFromNamed(request: ServiceRequest, family: IpFamily, wanted: string | undefined): Chosen {
    const named: Pool[] = [];
    for (const name of request.pools) {
      const pool = this.pools.get(name);
      if (!pool) return fail('NoPool', `Eip ${name} does not exist`);
      if (pool.state === 'invalid') return fail('PoolNotReady', `Eip ${name} is invalid: ${pool.message}`);
      named.push(pool);
    }
    const ofFamily = named.filter((pool) => pool.range?.family === family);
    if (ofFamily.length === 0) return fail('NoPool', `the named Eips (${names(named)}) hold no IPv${family} addresses`);
    if (wanted !== undefined) {
      const address = addressOf(wanted);
      const pool = ofFamily.find((candidate) => candidate.contains(family, address.value));
      if (!pool) return fail('RequestedUnavailable', `${wanted} is not in the named Eips (${names(ofFamily)})`);
      return this.takeRequested(pool, request, address);
    }
    const ready = ofFamily.filter((pool) => pool.state === 'ready');
    if (ready.length === 0) return fail('PoolNotReady', this.notReady(ofFamily));
    return this.pickFrom(ready, request, family);
  }

  /** OpenELB getEIPBasedOnIP: the Eip containing the address, whatever its namespaces. */
  private chooseRequested(request: ServiceRequest, wanted: string): Chosen {
    const address = addressOf(wanted);
    const pool = this.workingPoolContaining(address);
    if (pool) return this.takeRequested(pool, request, address);
    const other = [...this.pools.values()].find((candidate) => candidate.contains(address.family, address.value));
    if (other) return fail('PoolNotReady', `${wanted} lies in ${this.notReady([other])}`);
    return fail('NoPool', `no Eip contains ${wanted}`);
  }

  /**
   * OpenELB getDefaultEIP: the ready Eips bound to the namespace (namespaces or namespaceSelector),
   * by ascending priority then name; only when none is bound, the default Eip. Porter applies this
   * per family, so a dual-stack Service draws each family from that family's Eips.
   */
  private chooseAutomatically(request: ServiceRequest, family: IpFamily): Chosen {
    const ofFamily = [...this.pools.values()].filter((pool) => pool.range?.family === family).sort(comparePools);
    const labels = this.namespaceLabels.get(request.namespace);
    const bound = ofFamily.filter((pool) => pool.servesNamespace(request.namespace, labels));
    const boundReady = bound.filter((pool) => pool.state === 'ready');
    if (boundReady.length > 0) return this.pickFrom(boundReady, request, family);
    const defaults = ofFamily.filter((pool) => pool.isDefault);
    const defaultsReady = defaults.filter((pool) => pool.state === 'ready');
    if (defaultsReady.length > 0) return this.pickFrom(defaultsReady, request, family);
    const unready = [...new Set([...bound, ...defaults])];
    if (unready.length > 0) return fail('PoolNotReady', this.notReady(unready));
    return fail(
      'NoPool',
      `no IPv${family} Eip serves namespace ${request.namespace}: none lists it in namespaces or matches its labels, ` +
        `and none is the default (annotation ${ANNOTATIONS.defaultEip}: "true")`,
    );
  }

  private takeRequested(pool: Pool, request: ServiceRequest, address: Address): Chosen {
    if (pool.state !== 'ready') return fail('PoolNotReady', `${address.ip} lies in ${this.notReady([pool])}`);
    const problem = this.joinProblem(address.ip, request);
    if (problem === undefined) return { ok: true, value: address };
    const reason = request.sharingKey === undefined ? 'RequestedUnavailable' : 'SharingConflict';
    return fail(reason, `${address.ip} is taken: ${problem}`);
  }

  /**
   * A Service with a sharing key first joins an address it may share, so that Services meant to
   * share end up together; otherwise the allocation order picks a free address, Eip by Eip.
   */
  private pickFrom(pools: readonly Pool[], request: ServiceRequest, family: IpFamily): Chosen {
    if (request.sharingKey !== undefined) {
      for (const pool of pools) {
        for (const value of pool.space?.usedValues() ?? []) {
          const ip = bigintToAddress(value, family);
          if (this.joinProblem(ip, request) === undefined) return { ok: true, value: { ip, family, value } };
        }
      }
    }
    for (const pool of pools) {
      const value = pool.space && this.order.pick(pool.space);
      if (value !== undefined) return { ok: true, value: { ip: bigintToAddress(value, family), family, value } };
    }
    return fail('PoolExhausted', `no free IPv${family} address in Eip ${names(pools)}`);
  }

  private notReady(pools: readonly Pool[]): string {
    return pools.map((pool) => `Eip ${pool.name}, which is ${pool.state}: ${pool.message}`).join('; ');
  }
}
