/**
 * A random free address: the first free one at or after a uniformly drawn start, wrapping around.
 * Suits large IPv6 pools, where sequential addresses would be easy to guess and scan.
 */
import type { AllocationOrder, AllocationOrderDependencies } from './allocation-order.ts';
import type { AddressSpace } from './address-space.ts';

/** A draw in [0, size), from 32 random bits at a time; the modulo bias is below 2^-32. */
function randomBelow(size: bigint, random: () => number): bigint {
  let value = 0n;
  for (let bits = 0n; bits < BigInt(size.toString(2).length) + 32n; bits += 32n) {
    value = (value << 32n) | BigInt(Math.floor(random() * 2 ** 32));
  }
  return value % size;
}

/** Creates the random order over the injected source of randomness. */
export function randomOrder({ random }: AllocationOrderDependencies): AllocationOrder {
  return {
    name: 'random',
    pick(space: AddressSpace) {
      const start = space.first + randomBelow(space.size, random);
      return space.firstFreeAtOrAfter(start) ?? space.firstFreeAtOrAfter(space.first);
    },
  };
}
