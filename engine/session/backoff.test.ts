import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffSeconds, withJitter } from './backoff.ts';

test('backoff doubles from its base and stops at its cap', () => {
  const backoff = { base: 5, cap: 120 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 60].map((uses) => backoffSeconds(backoff, uses)),
    [5, 10, 20, 40, 80, 120, 120, 120],
  );
});

test('jitter scales by a factor from 0.75 to 1 (RFC 4271 section 10)', () => {
  const cases: [number | undefined, number][] = [
    [undefined, 40],
    [0, 30],
    [0.5, 35],
    [0.999, 39.99],
    [-1, 30],
    [2, 40],
  ];
  for (const [random, expected] of cases) assert.equal(withJitter(40, random), expected, `random ${random}`);
});
