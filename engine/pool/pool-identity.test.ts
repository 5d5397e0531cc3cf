/**
 * Every task gives in a worker exactly what the in-thread call gives on the same input, on each
 * implementation this machine has: bytes, columns, records, rankings and next-hop indices.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { selectEcmp, tsEcmp } from '../ecmp/index.ts';
import { randomFlows } from '../ecmp/random-flows.ts';
import { rank } from '../rib/best-path/rank.ts';
import { CHAIN } from '../rib/best-path/chain.ts';
import type { Path } from '../rib/path.ts';
import { selectCodec, tsCodec } from '../wire/index.ts';
import type { ImplementationChoice } from '../wire/index.ts';
import type { RouteColumns } from '../wire/types.ts';
import { EnginePool } from './pool.ts';
import { rankBatch } from './rank-batch.ts';
import { attributeSets, rankBatchOf, ROUTE_CONTEXT, routeColumns, updateBurst } from './testing.ts';
import { BEST_REASON } from './types.ts';

const EVERYTHING_TO_THE_POOL = { 'decode-routes': 0, 'encode-routes': 0, 'rank-destinations': 0, 'hash-flows': 0 };

const implementations: ImplementationChoice[] = ['ts'];
try {
  selectCodec('native');
  implementations.push('native');
} catch {
  // No addon on this machine: the TypeScript pool is still tested.
}

function poolOf(implementation: ImplementationChoice): EnginePool {
  const made = EnginePool.create({ mode: 'auto', threads: 1, implementation }, { crossover: EVERYTHING_TO_THE_POOL });
  if (!made.ok) assert.fail(made.error);
  return made.value;
}

function copyColumns(routes: RouteColumns): RouteColumns {
  return { ...routes, family: routes.family.slice(), prefixLength: routes.prefixLength.slice(), address: routes.address.slice(),
    pathId: routes.pathId.slice(), attributeSet: routes.attributeSet.slice() };
}

/** Columns as plain arrays, so that a Buffer-backed and a plain typed array compare equal. */
function plainColumns(routes: RouteColumns) {
  return { count: routes.count, family: [...routes.family], prefixLength: [...routes.prefixLength], address: [...routes.address],
    pathId: [...routes.pathId], attributeSet: [...routes.attributeSet] };
}

for (const implementation of implementations) {
  describe(`pool on ${implementation}`, { timeout: 120_000 }, () => {
    const pool = poolOf(implementation);
    const codec = selectCodec(implementation).codec;
    after(() => pool.close());

    test('encodeRoutes: the same bytes as the in-thread codec', async () => {
      for (const [count, sets] of [[1, 1], [2000, 7], [20_000, 40]]) {
        const routes = routeColumns(count, sets);
        const expected = codec.encodeRoutes(routes, attributeSets(sets), ROUTE_CONTEXT);
        const encoded = await pool.encodeRoutes(copyColumns(routes), attributeSets(sets), ROUTE_CONTEXT);
        assert.ok(encoded.ok, JSON.stringify(!encoded.ok && encoded.error));
        assert.deepEqual(Buffer.from(encoded.value), Buffer.from(expected), `${count} routes`);
        assert.deepEqual(Buffer.from(encoded.value), Buffer.from(tsCodec.encodeRoutes(routes, attributeSets(sets), ROUTE_CONTEXT)));
      }
    });

    test('decodeRoutes: the same columns, attribute sets, End-of-RIB, errors and consumed octets', async () => {
      for (const [count, sets] of [[0, 1], [3000, 5], [30_000, 60]]) {
        const burst = updateBurst(count, sets);
        const expected = codec.decodeRoutes(burst);
        assert.equal(expected.errors.length, 1, 'the burst holds one malformed UPDATE');
        assert.deepEqual(expected.endOfRib, ['ipv4-unicast']);
        const decoded = await pool.decodeRoutes(burst.slice());
        assert.ok(decoded.ok, JSON.stringify(!decoded.ok && decoded.error));
        const { routes, ...rest } = decoded.value;
        const { routes: expectedRoutes, ...expectedRest } = expected;
        assert.deepEqual(plainColumns(routes), plainColumns(expectedRoutes), `${count} routes`);
        assert.deepEqual(rest, expectedRest);
      }
    });

    test('decodeRoutes under ADD-PATH reads what encodeRoutes wrote', async () => {
      const routes = routeColumns(5000, 9);
      const bytes = codec.encodeRoutes(routes, attributeSets(9), ROUTE_CONTEXT);
      const decoded = await pool.decodeRoutes(bytes.slice(), ROUTE_CONTEXT);
      assert.ok(decoded.ok);
      assert.deepEqual(decoded.value, { ...codec.decodeRoutes(bytes, ROUTE_CONTEXT), routes: decoded.value.routes });
      assert.deepEqual(plainColumns(decoded.value.routes), plainColumns(codec.decodeRoutes(bytes, ROUTE_CONTEXT).routes));
    });

    test('rankDestinations: the ranking of rank() itself, destination by destination', async () => {
      const batch = rankBatchOf(3000, 7);
      const ranked = await pool.rankDestinations({ ...batch, offsets: batch.offsets.slice() });
      assert.ok(ranked.ok, JSON.stringify(!ranked.ok && ranked.error));
      assert.deepEqual(ranked.value, rankBatch(batch));
      const { best, multipath, multipathOffsets, reason, against } = ranked.value;
      let multipathSets = 0;
      for (let d = 0; d < batch.offsets.length - 1; d++) {
        const paths = batch.paths.slice(batch.offsets[d], batch.offsets[d + 1]).map((p) => ({ ...p, nextHops: [], attributes: [] }) as Path);
        const expected = rank(paths, batch.options);
        const at = (path: Path | undefined) => (path === undefined ? -1 : batch.offsets[d] + paths.indexOf(path));
        assert.equal(best[d], at(expected.best), `destination ${d}`);
        assert.deepEqual([...multipath.subarray(multipathOffsets[d], multipathOffsets[d + 1])], expected.multipath.map(at));
        for (const loser of expected.losers) {
          assert.equal(CHAIN[reason[at(loser.path)]].name, loser.reason);
          assert.equal(against[at(loser.path)], at(loser.against));
        }
        if (expected.best !== undefined) assert.equal(reason[at(expected.best)], BEST_REASON);
        if (expected.multipath.length > 1) multipathSets++;
      }
      assert.ok(multipathSets > 100, `the batch exercises multipath (${multipathSets} sets)`);
    });

    test('selectNextHops: the same next hop for every flow as the in-thread engine', async () => {
      const engine = selectEcmp(implementation).engine;
      const group = { nextHops: Array.from({ length: 37 }, (_, i) => ({ name: `node-${i}`, weight: 1 + (i % 4) })) };
      for (const policy of ['modulo', 'maglev', 'resilient'] as const) {
        const built = tsEcmp.buildTable(group, { policy });
        assert.ok(built.ok);
        for (const [family, fields] of [['ipv4', 'five-tuple'], ['ipv6', 'l3']] as const) {
          const flows = randomFlows(family, 50_000, 11);
          const hash = { fields, seed: 0x5eed };
          const expected = engine.selectBatch(built.value, flows, hash);
          const selected = await pool.selectNextHops(built.value, { ...flows, words: flows.words.slice() }, hash);
          assert.ok(selected.ok);
          assert.deepEqual(selected.value, expected, `${policy} ${family} ${fields}`);
          assert.deepEqual(selected.value, tsEcmp.selectBatch(built.value, flows, hash));
        }
      }
    });
  });
}
