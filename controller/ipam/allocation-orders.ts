/** The registry of allocation orders: the one place that lists them. */
import type { AllocationOrder, AllocationOrderDependencies } from './allocation-order.ts';
import { lowestFirst } from './allocation-order-lowest.ts';
import { randomOrder } from './allocation-order-random.ts';

const ORDERS = {
  lowest: lowestFirst,
  random: randomOrder,
} satisfies Record<string, (dependencies: AllocationOrderDependencies) => AllocationOrder>;

export type AllocationOrderName = keyof typeof ORDERS;

/** The names of the registered orders. */
export const ALLOCATION_ORDER_NAMES = Object.keys(ORDERS) as AllocationOrderName[];

/** Creates a registered order. */
export function createAllocationOrder(
  name: AllocationOrderName,
  dependencies: AllocationOrderDependencies = { random: Math.random },
): AllocationOrder {
  return ORDERS[name](dependencies);
}
