import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressSpace } from './address-space.ts';

const space = (first: bigint, last: bigint, used: bigint[]) => {
  const result = new AddressSpace(first, last);
  for (const value of used) assert.ok(result.use(value), `use ${value}`);
  return result;
};

test('finds the first free address at or after a start, across runs of used ones', () => {
  const cases: [string, AddressSpace, bigint, bigint | undefined][] = [
    ['empty', space(10n, 20n, []), 10n, 10n],
    ['start below the range', space(10n, 20n, []), 0n, 10n],
    ['start above the range', space(10n, 20n, []), 21n, undefined],
    ['first used', space(10n, 20n, [10n]), 10n, 11n],
    ['a run then a gap', space(10n, 20n, [10n, 11n, 12n, 14n]), 10n, 13n],
    ['inside a run', space(10n, 20n, [10n, 11n, 12n, 14n]), 11n, 13n],
    ['after the gap', space(10n, 20n, [10n, 11n, 12n, 14n, 15n]), 14n, 16n],
    ['full', space(10n, 12n, [10n, 11n, 12n]), 10n, undefined],
    ['run to the end', space(10n, 12n, [11n, 12n]), 11n, undefined],
    ['free before a run', space(10n, 12n, [11n, 12n]), 10n, 10n],
    ['single address, free', space(7n, 7n, []), 7n, 7n],
    ['single address, used', space(7n, 7n, [7n]), 7n, undefined],
  ];
  for (const [name, subject, start, expected] of cases) {
    assert.equal(subject.firstFreeAtOrAfter(start), expected, name);
  }
});

test('use and free keep the count, refuse repeats and addresses outside the range', () => {
  const subject = new AddressSpace(0n, (1n << 64n) - 1n);
  assert.equal(subject.use(5n), true);
  assert.equal(subject.use(5n), false);
  assert.equal(subject.use(1n << 64n), false);
  assert.equal(subject.use(3n), true);
  assert.deepEqual(subject.usedValues(), [3n, 5n]);
  assert.equal(subject.usedCount, 2);
  assert.equal(subject.isUsed(3n), true);
  assert.equal(subject.free(3n), true);
  assert.equal(subject.free(3n), false);
  assert.equal(subject.isUsed(3n), false);
  assert.equal(subject.usedCount, 1);
  assert.equal(subject.size, 1n << 64n);
});

test('agrees with a linear scan on every start of a small, partly used range', () => {
  const used = [1n, 2n, 3n, 6n, 8n, 9n, 15n];
  const subject = space(0n, 15n, used);
  for (let start = 0n; start <= 16n; start += 1n) {
    let expected: bigint | undefined;
    for (let value = start; value <= 15n; value += 1n) {
      if (!used.includes(value)) {
        expected = value;
        break;
      }
    }
    assert.equal(subject.firstFreeAtOrAfter(start), expected, `start ${start}`);
  }
});
