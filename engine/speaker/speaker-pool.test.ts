/**
 * A speaker whose update groups encode large batches in the worker pool: peers get the same
 * routes as without it, and in the order the RIB produced them, also when a small change encoded
 * at once follows a large one still in a worker.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { EnginePool } from '../pool/index.ts';
import { entryOf, peered, Speakers, until } from './testing.ts';

const A = '127.0.32.1';
const B = '127.0.32.2';
const C = '127.0.32.3';
const ROUTES = 3_000;
/** Batches of this many routes and more go to the pool; a single route's change is encoded at once. */
const TO_POOL = 100;

const made = EnginePool.create({ mode: 'auto', threads: 2, implementation: 'auto' }, { crossover: { 'encode-routes': TO_POOL } });
if (!made.ok) throw new Error(made.error);
const pool = made.value;
after(() => pool.close());

const prefix = (index: number) => `10.${100 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}/32`;
const withMed = (index: number, med: number) => ({ prefix: prefix(index), nextHop: A, attributes: [{ type: 'med' as const, value: med }] });
const medAt = (speaker: Parameters<typeof entryOf>[0], index: number) =>
  entryOf(speaker, 'ipv4-unicast', prefix(index))?.paths[0]?.attributes.find(({ type }) => type === 'med');

test('table dumps and large changes encoded in the pool reach every peer complete and in order', { timeout: 60_000 }, async () => {
  const speakers = new Speakers();
  try {
    const a = await speakers.start(A, 65001, {}, { pool });
    a.announce(Array.from({ length: ROUTES }, (_, index) => withMed(index, 1)));
    const [b, c] = [await speakers.start(B, 65002), await speakers.start(C, 65003)];
    await peered(a, A, b, B);
    await peered(a, A, c, C);
    const held = (speaker: typeof b) => speaker.locRib('ipv4-unicast').length;
    await until(() => held(b) === ROUTES && held(c) === ROUTES, 'the table dumped from the pool at B and C');

    // A large change goes to a worker; the one-route change right behind it is encoded at once and must not overtake it.
    a.announce(Array.from({ length: ROUTES }, (_, index) => withMed(index, 2)));
    a.announce([withMed(0, 3)]);
    a.withdraw(Array.from({ length: 1_000 }, (_, index) => ({ prefix: prefix(ROUTES - 1 - index) })));
    await until(() => held(b) === ROUTES - 1_000 && held(c) === ROUTES - 1_000, 'the withdrawals at B and C');
    await until(() => medAt(b, 1)?.type === 'med' && medAt(c, 1)?.type === 'med' && (medAt(c, 1) as { value: number }).value === 2, 'MED 2 at C');
    for (const speaker of [b, c]) {
      assert.deepEqual(medAt(speaker, 0), { type: 'med', value: 3 }, 'the later change wins');
      assert.deepEqual(medAt(speaker, 1), { type: 'med', value: 2 });
      assert.deepEqual(medAt(speaker, 1_999), { type: 'med', value: 2 });
      assert.equal(entryOf(speaker, 'ipv4-unicast', prefix(ROUTES - 1)), undefined);
    }
    assert.equal(a.neighbor(B).advertised, ROUTES - 1_000);
    assert.ok(pool.placement('encode-routes', ROUTES) === 'pool');
  } finally {
    await speakers.cleanup();
  }
});
