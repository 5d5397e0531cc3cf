import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeSet, PathAttribute } from '../wire/types.ts';
import {
  acquire,
  acquireEntry,
  createInterner,
  DerivedCache,
  entryOf,
  intern,
  internedCount,
  release,
} from './attribute-interning.ts';

const origin: PathAttribute = { type: 'origin', value: 'igp' };
const asPath: PathAttribute = { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] };
const med: PathAttribute = { type: 'med', value: 10 };

const a: AttributeSet = { nextHops: ['192.0.2.1'], attributes: [origin, asPath, med] };
const reordered: AttributeSet = { nextHops: ['192.0.2.1'], attributes: [med, origin, asPath] };
const otherNextHop: AttributeSet = { nextHops: ['192.0.2.2'], attributes: [origin, asPath, med] };
const otherMed: AttributeSet = { nextHops: ['192.0.2.1'], attributes: [origin, asPath, { type: 'med', value: 20 }] };

test('equal sets are one entry whatever the attribute order; any difference is another', () => {
  const interner = createInterner();
  const cases: [AttributeSet, AttributeSet, boolean][] = [
    [a, a, true],
    [a, reordered, true],
    [a, otherNextHop, false],
    [a, otherMed, false],
  ];
  for (const [left, right, same] of cases) {
    assert.equal(intern(interner, left) === intern(interner, right), same, JSON.stringify([left, right]));
  }
  assert.deepEqual(intern(interner, reordered).set.attributes, [origin, asPath, med]);
  assert.equal(internedCount(interner), 3);
});

test('a set lives while routes hold it and is forgotten with the last', () => {
  const interner = createInterner();
  const first = acquire(interner, a);
  const second = acquire(interner, reordered);
  assert.equal(first, second);
  assert.equal(first.refs, 2);
  release(interner, first);
  assert.equal(internedCount(interner), 1);
  release(interner, first);
  assert.equal(internedCount(interner), 0);
  // Kept past its last release, an entry comes back as a new one with a new id.
  const again = acquireEntry(interner, first);
  assert.notEqual(again, first);
  assert.notEqual(again.id, first.id);
  assert.equal(again.refs, 1);
});

test('a path\'s lists lead back to their entry, and only the entry\'s own lists do', () => {
  const interner = createInterner();
  const entry = acquire(interner, a);
  assert.equal(entryOf(interner, entry.set.nextHops, entry.set.attributes), entry);
  assert.equal(entryOf(interner, [...entry.set.nextHops], entry.set.attributes), undefined);
  assert.equal(entryOf(interner, a.nextHops, a.attributes), undefined);
  release(interner, entry);
  assert.equal(entryOf(interner, entry.set.nextHops, entry.set.attributes), undefined);
});

test('a derived value is made once per set and context', () => {
  const interner = createInterner();
  const cache = new DerivedCache<string>();
  let made = 0;
  const make = (value: string) => () => {
    made += 1;
    return value;
  };
  const entry = intern(interner, a);
  assert.equal(cache.get(entry, 'group 1', make('x')), 'x');
  assert.equal(cache.get(intern(interner, reordered), 'group 1', make('y')), 'x');
  assert.equal(cache.get(entry, 'group 2', make('z')), 'z');
  assert.equal(made, 2);
});
