/**
 * Batches that go to a worker move there: the sender's buffers are detached, views into larger
 * buffers are copied first, and answers arrive whole. Failures come back as coded values.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { transferableSymbol, valueSymbol } from 'piscina';

import { tsEcmp } from '../ecmp/index.ts';
import { randomFlows } from '../ecmp/random-flows.ts';
import decodeRoutes from './decode-routes.worker.ts';
import encodeRoutes from './encode-routes.worker.ts';
import { EnginePool } from './pool.ts';
import { packRecord } from './records.ts';
import { packSets, unpackSets } from './set-records.ts';
import { attributeSets, rankBatchOf, ROUTE_CONTEXT, routeColumns, updateBurst } from './testing.ts';
import { transferList } from './transfer.ts';
import type { TaskResponse } from './types.ts';
import type { RouteColumns } from '../wire/types.ts';

const ALL_TO_POOL = { 'decode-routes': 0, 'encode-routes': 0, 'rank-destinations': 0, 'hash-flows': 0 };

function poolOf(): EnginePool {
  const made = EnginePool.create({ mode: 'auto', threads: 1, implementation: 'auto' }, { crossover: ALL_TO_POOL });
  if (!made.ok) assert.fail(made.error);
  return made.value;
}

test('transferList: each ArrayBuffer once, shared memory left out', () => {
  const buffer = new ArrayBuffer(64);
  const shared = new SharedArrayBuffer(8);
  const lists = transferList(new Uint8Array(buffer, 0, 8), new Uint32Array(buffer, 8, 4), new Uint8Array(shared), new Uint8Array(4));
  assert.equal(lists.length, 2);
  assert.equal(lists[0], buffer);
});

test('encode worker: its UPDATE bytes are a buffer of their own, whole, in the transfer list', () => {
  const request = { routes: routeColumns(64, 4), attributeSets: packSets(attributeSets(4)), context: packRecord(ROUTE_CONTEXT) };
  const moved = encodeRoutes(request) as unknown as Record<symbol, unknown>;
  const answer = moved[valueSymbol] as TaskResponse<Uint8Array>;
  assert.ok(answer.ok);
  const bytes = answer.value;
  assert.ok(bytes.length > 0);
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.byteLength, bytes.buffer.byteLength);
  assert.deepEqual(moved[transferableSymbol], [bytes.buffer]);
});

test('decode worker: its route columns move, not copied (the addon returns them in memory V8 can transfer)', () => {
  const request = { bytes: updateBurst(64, 4), context: packRecord(undefined) };
  const moved = decodeRoutes(request) as unknown as Record<symbol, unknown>;
  const answer = moved[valueSymbol] as TaskResponse<{ routes: RouteColumns }>;
  assert.ok(answer.ok);
  const { routes } = answer.value;
  assert.ok(routes.count >= 64);
  const columns = [routes.family, routes.prefixLength, routes.address, routes.pathId, routes.attributeSet];
  structuredClone(answer.value, { transfer: moved[transferableSymbol] as ArrayBuffer[] });
  assert.deepEqual(columns.map((column) => column.byteLength), [0, 0, 0, 0, 0]);
});

test('packSets: the sets come back equal, a set given twice included', () => {
  const sets = attributeSets(4);
  assert.deepEqual(unpackSets(packSets([sets[2], sets[0], sets[2]])), [sets[2], sets[0], sets[2]]);
  assert.deepEqual(unpackSets(packSets([])), []);
});

describe('transfers', { timeout: 120_000 }, () => {
  const pool = poolOf();
  after(() => pool.close());

  test('encodeRoutes detaches the columns it was given', async () => {
    const routes = routeColumns(1000, 3);
    const encoded = await pool.encodeRoutes(routes, attributeSets(3), ROUTE_CONTEXT);
    assert.ok(encoded.ok);
    for (const column of [routes.family, routes.prefixLength, routes.address, routes.pathId, routes.attributeSet]) assert.equal(column.byteLength, 0);
    assert.ok(encoded.value.byteLength > 0);
  });

  test('decodeRoutes detaches the burst, and the columns come back whole', async () => {
    const burst = updateBurst(1000, 3);
    const decoded = await pool.decodeRoutes(burst);
    assert.equal(burst.byteLength, 0);
    assert.ok(decoded.ok);
    // The malformed UPDATE of the burst is treated as withdraw: one more route.
    assert.equal(decoded.value.routes.count, 1001);
    assert.equal(decoded.value.routes.address.byteLength, 16 * 1001);
  });

  test('a view into a larger buffer is copied, not detached', async () => {
    const burst = updateBurst(100, 2);
    const larger = new Uint8Array(burst.length + 10);
    larger.set(burst, 10);
    const decoded = await pool.decodeRoutes(larger.subarray(10));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.routes.count, 101);
    assert.equal(larger.byteLength, burst.length + 10);
  });

  test('rankDestinations detaches the offsets; selectNextHops the flows but not the table', async () => {
    const batch = rankBatchOf(50, 3);
    assert.ok((await pool.rankDestinations(batch)).ok);
    assert.equal(batch.offsets.byteLength, 0);
    const built = tsEcmp.buildTable({ nextHops: [{ name: 'a', weight: 1 }, { name: 'b', weight: 2 }] }, { policy: 'modulo' });
    assert.ok(built.ok);
    const flows = randomFlows('ipv4', 100, 5);
    const selected = await pool.selectNextHops(built.value, flows, { fields: 'five-tuple', seed: 1 });
    assert.ok(selected.ok);
    assert.equal(selected.value.length, 100);
    assert.equal(flows.words.byteLength, 0);
    assert.equal(built.value.entries.length, 3);
  });
});

describe('errors come back as codes', { timeout: 120_000 }, () => {
  const pool = poolOf();
  after(() => pool.close());

  test('a value the codec cannot encode: encode-failed', async () => {
    const sets = attributeSets(1);
    sets[0].nextHops = ['not-an-address'];
    const encoded = await pool.encodeRoutes(routeColumns(10, 1), sets);
    assert.equal(encoded.ok, false);
    assert.ok(!encoded.ok);
    assert.equal(encoded.error.code, 'encode-failed');
    assert.ok(!(encoded.error instanceof Error));
    assert.match(encoded.error.message, /cannot|next hop|address/i);
  });

  test('short columns, bad offsets, an empty table: invalid-input, before anything runs', async () => {
    const routes = { ...routeColumns(10, 1), count: 11 };
    const encoded = await pool.encodeRoutes(routes, attributeSets(1));
    assert.ok(!encoded.ok && encoded.error.code === 'invalid-input');
    assert.equal(routes.address.byteLength, 160, 'a refused batch keeps its buffers');
    const batch = rankBatchOf(5, 1);
    const ranked = await pool.rankDestinations({ ...batch, offsets: Uint32Array.of(0, batch.paths.length + 1) });
    assert.ok(!ranked.ok && ranked.error.code === 'invalid-input');
    const flows = randomFlows('ipv4', 10, 5);
    const selected = await pool.selectNextHops({ policy: 'modulo', entries: new Uint32Array(0) }, flows, { fields: 'l3', seed: 0 });
    assert.ok(!selected.ok && selected.error.code === 'invalid-input');
  });

  test('a task that throws in the worker: internal, with its message', async () => {
    const batch = rankBatchOf(20, 9);
    const broken = { ...batch, paths: batch.paths.map((path) => ({ ...path, ranking: undefined as never })) };
    const ranked = await pool.rankDestinations(broken);
    assert.ok(!ranked.ok);
    assert.equal(ranked.error.code, 'internal');
    assert.match(ranked.error.message, /TypeError/);
  });

  test('after close: pool-closed', async () => {
    const closing = poolOf();
    await closing.close();
    const decoded = await closing.decodeRoutes(updateBurst(10, 1));
    assert.ok(!decoded.ok && decoded.error.code === 'pool-closed');
  });
});
