/**
 * A process for the pool's shutdown tests: runs one batch of every task through a worker, closes
 * the pool unless told not to, and reports what is left holding the event loop.
 *
 *   test-child.ts [--leave-open]
 */
import { tsEcmp } from '../ecmp/index.ts';
import { randomFlows } from '../ecmp/random-flows.ts';
import { EnginePool } from './pool.ts';
import { attributeSets, rankBatchOf, routeColumns, updateBurst } from './testing.ts';

const made = EnginePool.create({ mode: 'auto', threads: 2, implementation: 'auto' },
  { crossover: { 'decode-routes': 0, 'encode-routes': 0, 'rank-destinations': 0, 'hash-flows': 0 } });
if (!made.ok) throw new Error(made.error);
const pool = made.value;
const table = tsEcmp.buildTable({ nextHops: [{ name: 'a', weight: 1 }] }, { policy: 'modulo' });
if (!table.ok) throw new Error(table.error);
const results = await Promise.all([
  pool.decodeRoutes(updateBurst(100, 2)),
  pool.encodeRoutes(routeColumns(100, 2), attributeSets(2)),
  pool.rankDestinations(rankBatchOf(10, 1)),
  pool.selectNextHops(table.value, randomFlows('ipv4', 100, 1), { fields: 'l3', seed: 0 }),
]);
if (!process.argv.includes('--leave-open')) await pool.close();
// Standard output itself (a terminal or the parent's pipe) is not the pool's.
const resources = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap' && name !== 'PipeWrap');
console.log(JSON.stringify({ ok: results.map((result) => result.ok), resources }));
