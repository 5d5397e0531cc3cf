/**
 * Pools that share addresses. OpenELB's admission webhook refuses an overlapping Eip; a CRD's CEL
 * rules see one object at a time and cannot, so Porter accepts the objects and its controller
 * reports the overlap in status and Events (controller/ipam decides which pool keeps working).
 */
import { parseAddressRange, type AddressRange } from '../address-range.ts';
import type { Eip } from '../types.ts';

interface Pool {
  name: string;
  range: AddressRange;
}

/**
 * Each Eip name -> the names of the Eips whose addresses it shares (same family), sorted; names
 * without an overlap are absent. Eips whose address does not parse are left out. A sweep over the
 * pools sorted by first address, so thousands of pools cost little more than sorting them.
 */
export function eipOverlaps(eips: Eip[]): Map<string, string[]> {
  const pools: Pool[] = [];
  for (const eip of eips) {
    const parsed = parseAddressRange(eip.spec?.address ?? '');
    if (parsed.ok && eip.metadata?.name) pools.push({ name: eip.metadata.name, range: parsed.value });
  }
  pools.sort((a, b) => a.range.family - b.range.family || (a.range.first < b.range.first ? -1 : a.range.first > b.range.first ? 1 : 0));
  const overlaps = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    if (!overlaps.has(a)) overlaps.set(a, new Set());
    overlaps.get(a)!.add(b);
  };
  let open: Pool[] = [];
  for (const pool of pools) {
    open = open.filter((other) => other.range.family === pool.range.family && other.range.last >= pool.range.first);
    for (const other of open) {
      link(pool.name, other.name);
      link(other.name, pool.name);
    }
    open.push(pool);
  }
  return new Map([...overlaps].sort(([a], [b]) => a.localeCompare(b)).map(([name, others]) => [name, [...others].sort()]));
}
