/**
 * The node's addresses to announce and, for each, the Services behind it: the index that lets a
 * change of one Service touch only that Service's addresses, while an address shared by several
 * Services stays announced as long as one of them is eligible.
 */
import type { ObjectKey } from '../runtime/types.ts';
import type { Contribution } from './announcements.ts';

export class VipTable {
  readonly #byService = new Map<ObjectKey, ReadonlyMap<string, Contribution>>();
  readonly #byAddress = new Map<string, Map<ObjectKey, Contribution>>();

  /** Replaces what a Service contributes (empty: it contributes nothing); returns the addresses whose contributions changed. */
  setService(service: ObjectKey, contributions: ReadonlyMap<string, Contribution>): string[] {
    const before = this.#byService.get(service) ?? new Map<string, Contribution>();
    const changed: string[] = [];
    for (const [address, old] of before) {
      const now = contributions.get(address);
      if (now !== undefined && now.local === old.local && now.endpoints === old.endpoints) continue;
      if (now === undefined) {
        const entry = this.#byAddress.get(address);
        entry?.delete(service);
        if (entry?.size === 0) this.#byAddress.delete(address);
      }
      changed.push(address);
    }
    for (const [address, contribution] of contributions) {
      let entry = this.#byAddress.get(address);
      if (entry === undefined) {
        entry = new Map();
        this.#byAddress.set(address, entry);
      }
      entry.set(service, contribution);
      if (!before.has(address)) changed.push(address);
    }
    if (contributions.size === 0) this.#byService.delete(service);
    else this.#byService.set(service, contributions);
    return changed;
  }

  /** The eligible Services behind an address. */
  contributions(address: string): Contribution[] {
    return [...(this.#byAddress.get(address)?.values() ?? [])];
  }

  /** Every address some eligible Service has. */
  addresses(): string[] {
    return [...this.#byAddress.keys()];
  }

  /** The Services that contribute anything. */
  services(): ObjectKey[] {
    return [...this.#byService.keys()];
  }
}
