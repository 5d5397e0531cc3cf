import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressSpace } from './address-space.ts';
import { ALLOCATION_ORDER_NAMES, createAllocationOrder } from './allocation-orders.ts';

const space = (first: bigint, last: bigint, used: bigint[]) => {
  const result = new AddressSpace(first, last);
  for (const value of used) result.use(value);
  return result;
};

test('registers each order under its name', () => {
  assert.deepEqual(ALLOCATION_ORDER_NAMES, ['lowest', 'random']);
  for (const name of ALLOCATION_ORDER_NAMES) assert.equal(createAllocationOrder(name).name, name);
});

test('lowest picks the lowest free address', () => {
  const order = createAllocationOrder('lowest');
  const cases: [AddressSpace, bigint | undefined][] = [
    [space(100n, 103n, []), 100n],
    [space(100n, 103n, [100n, 101n, 103n]), 102n],
    [space(100n, 103n, [100n, 101n, 102n, 103n]), undefined],
  ];
  for (const [subject, expected] of cases) assert.equal(order.pick(subject), expected);
});

test('random starts where the injected source points and wraps past the end', () => {
  // Every draw returns offset / 2^32, so each 32-bit word is `offset` and, the range size being a
  // power of two below 2^32, the start is first + offset.
  const fixed = (offset: number) => createAllocationOrder('random', { random: () => offset / 2 ** 32 });
  const cases: [string, number, AddressSpace, bigint | undefined][] = [
    ['start of range', 0, space(100n, 107n, []), 100n],
    ['the drawn address when free', 5, space(100n, 107n, []), 105n],
    ['next free after the draw', 4, space(100n, 107n, [104n, 105n]), 106n],
    ['wraps to the lowest free', 7, space(100n, 107n, [107n]), 100n],
    ['full', 1, space(100n, 101n, [100n, 101n]), undefined],
  ];
  for (const [name, offset, subject, expected] of cases) assert.equal(fixed(offset).pick(subject), expected, name);
});

test('random reaches the whole of a /64', () => {
  let calls = 0;
  const order = createAllocationOrder('random', { random: () => (calls++ % 2 === 0 ? 0.999999 : 0.5) });
  const first = 0x20010db8000000000000000000000000n;
  const picked = order.pick(space(first, first + (1n << 64n) - 1n, []));
  assert.ok(picked !== undefined && picked - first > 1n << 60n);
});
