/**
 * The order in which a pool hands out free addresses. Each order is one file
 * (`allocation-order-*.ts`) and is registered in `allocation-orders.ts`.
 */
import type { AddressSpace } from './address-space.ts';

/** Chooses the next address to hand out from a pool. */
export interface AllocationOrder {
  readonly name: string;
  /** A free address of the space, or undefined when every address is used. */
  pick(space: AddressSpace): bigint | undefined;
}

/** What an order may depend on; injected so that tests choose it. */
export interface AllocationOrderDependencies {
  /** Uniform in [0, 1), like Math.random. */
  random: () => number;
}
