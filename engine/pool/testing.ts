/**
 * Batches for the pool's tests: route sets with withdrawals, both families and ADD-PATH; bursts of
 * UPDATE bytes with an End-of-RIB and a malformed message; destinations with random candidate paths.
 */
import { COLUMN_FAMILY, WITHDRAW, type AttributeSet, type RouteColumns, type SessionContext } from '../wire/types.ts';
import { testPath, type TestPathSpec } from '../rib/test-paths.ts';
import type { RankOptions } from '../rib/best-path/types.ts';
import { tsCodec } from '../wire/index.ts';
import { rankPathOf } from './rank-batch.ts';
import type { PoolResult, RankBatch } from './types.ts';
import { emptyRouteColumns } from '../wire/route-columns.ts';

/** The session context of the route batches: ADD-PATH on both families, 4-octet AS. */
/** A pool answer's value; a coded error throws, with its code. */
export function must<T>(result: PoolResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export const ROUTE_CONTEXT: SessionContext = { addPath: ['ipv4-unicast', 'ipv6-unicast'] };

/** Set k: IPv4 and IPv6 next hops, an AS path, MED and communities that differ by k. */
export function attributeSets(count: number): AttributeSet[] {
  return Array.from({ length: count }, (_, k) => ({
    nextHops: k % 2 === 0 ? [`198.18.0.${k + 1}`] : [`2001:db8::${(k + 1).toString(16)}`],
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns: [65001, 4_200_000_000 + k] }] },
      { type: 'med', value: k * 10 },
      { type: 'communities', values: ['65001:100', `65001:${k}`] },
    ],
  }));
}

/** `count` routes over `sets` sets, one in five withdrawn; a route takes the family of its set's next hop. */
export function routeColumns(count: number, sets: number): RouteColumns {
  const routes = emptyRouteColumns(count);
  const view = new DataView(routes.address.buffer);
  for (let i = 0; i < count; i++) {
    const set = i % 5 === 2 ? WITHDRAW : i % sets;
    const ipv6 = set === WITHDRAW ? i % 2 === 1 : set % 2 === 1;
    routes.family[i] = ipv6 ? COLUMN_FAMILY['ipv6-unicast'] : COLUMN_FAMILY['ipv4-unicast'];
    routes.attributeSet[i] = set;
    routes.pathId[i] = i % 3;
    if (ipv6) {
      view.setUint32(16 * i, 0x20010db8);
      view.setUint32(16 * i + 8, i);
      routes.prefixLength[i] = 96;
    } else {
      view.setUint32(16 * i, 0x0a000000 + (i << 8));
      routes.prefixLength[i] = 24;
    }
  }
  return routes;
}

/** RFC 4271 section 4.3 UPDATE whose ORIGIN has the Optional bit set: treat-as-withdraw (RFC 7606). */
const MALFORMED_UPDATE = 'ffffffffffffffffffffffffffffffff002f0200000014c001010040020602010000fde9400304c000020118c63364';

/**
 * A burst as a session reads it: the routes' UPDATEs, a malformed UPDATE, and the IPv4 End-of-RIB
 * (an empty UPDATE, RFC 4724 section 2), in a buffer of their own. The malformed one carries no
 * ADD-PATH identifiers, so the burst is read without ADD-PATH.
 */
export function updateBurst(count: number, sets: number): Uint8Array {
  const updates = tsCodec.encodeRoutes(routeColumns(count, sets), attributeSets(sets));
  const malformed = Buffer.from(MALFORMED_UPDATE, 'hex');
  const endOfRib = tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
  const burst = new Uint8Array(updates.length + malformed.length + endOfRib.length);
  burst.set(updates);
  burst.set(malformed, updates.length);
  burst.set(endOfRib, updates.length + malformed.length);
  return burst;
}

/** A reproducible xorshift32 stream of integers below `bound`. */
export function seededRandom(seed: number): (bound: number) => number {
  let state = seed >>> 0 || 1;
  return (bound) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % bound;
  };
}

/** Options with multipath, so batches exercise both the best path and the multipath set. */
export const RANK_OPTIONS: RankOptions = { multipath: { upTo: 'med', relaxAsPath: true, maximumPaths: 4 } };

/**
 * `destinations` destinations of 0 to 6 candidate paths each, drawn so that many tie far down the
 * chain: few distinct values per attribute, some unreachable or stale paths.
 */
export function rankBatchOf(destinations: number, seed: number, options: RankOptions = RANK_OPTIONS): RankBatch {
  const next = seededRandom(seed);
  const paths = [];
  const offsets = new Uint32Array(destinations + 1);
  for (let d = 0; d < destinations; d++) {
    const count = next(7);
    for (let p = 0; p < count; p++) {
      const kind = (['ebgp', 'ibgp', 'local'] as const)[next(5) === 0 ? 1 + next(2) : 0];
      const spec: TestPathSpec = {
        peer: `192.0.2.${1 + next(8)}`,
        kind,
        peerAs: kind === 'ebgp' ? 65001 + next(3) : undefined,
        pathId: next(3),
        asns: kind === 'ebgp' ? [65001 + next(3), ...(next(2) ? [64512 + next(4)] : [])] : undefined,
        origin: (['igp', 'egp', 'incomplete'] as const)[next(3)],
        med: next(3) === 0 ? undefined : 10 * next(3),
        localPref: next(4) === 0 ? 200 : undefined,
        igpCost: next(12) === 0 ? 'unreachable' : next(3),
        receivedAt: next(1000),
        stale: next(15) === 0 ? 'llgr' : undefined,
        clusterList: next(4) === 0 ? ['192.0.2.100'] : undefined,
      };
      paths.push(rankPathOf(testPath(spec)));
    }
    offsets[d + 1] = paths.length;
  }
  return { paths, offsets, options };
}
