/**
 * The lowest free address, as OpenELB allocates (it walks its Eip from the first address): the
 * predictable default, which an operator can read off the pool.
 */
import type { AllocationOrder } from './allocation-order.ts';

/** Creates the lowest-first order. */
export function lowestFirst(): AllocationOrder {
  return { name: 'lowest', pick: (space) => space.firstFreeAtOrAfter(space.first) };
}
