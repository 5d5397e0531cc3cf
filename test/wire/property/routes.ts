/**
 * Arbitrary route columns with their attribute sets, for the bulk encoder: mostly routes whose set
 * can carry them, sometimes not, so that both codecs also refuse alike.
 */
import fc from 'fast-check';
import { COLUMN_FAMILY, WITHDRAW, type AttributeSet, type PathAttribute, type RouteColumns, type SessionContext } from '../../../engine/wire/types.ts';
import { ipv4, ipv6, u32 } from './addresses.ts';
import { plainAttributes } from './attributes.ts';
import { emptyRouteColumns } from '../../../engine/wire/route-columns.ts';

export interface RouteBatch {
  routes: RouteColumns;
  sets: AttributeSet[];
}

/** An attribute set: next hops of one kind, ORIGIN and AS_PATH usually, any other attributes. */
function attributeSet(context: SessionContext): fc.Arbitrary<AttributeSet> {
  const plain = plainAttributes(context);
  const { origin, 'as-path': asPath, ...others } = plain;
  return fc
    .record({
      nextHops: fc.oneof(
        { arbitrary: ipv4.map((address) => [address]), weight: 4 },
        { arbitrary: fc.array(ipv6, { minLength: 1, maxLength: 2 }), weight: 4 },
        { arbitrary: fc.array(fc.oneof(ipv4, ipv6), { maxLength: 3 }), weight: 1 },
      ),
      origin: fc.option(origin, { freq: 5, nil: undefined }),
      asPath: fc.option(asPath, { freq: 5, nil: undefined }),
      others: fc.subarray(Object.keys(others)).chain((types) => fc.tuple(...types.map((type) => others[type]))),
    })
    .map(({ nextHops, origin: o, asPath: a, others: rest }) => ({
      nextHops,
      attributes: [o, a, ...rest].filter((attribute): attribute is PathAttribute => attribute !== undefined),
    }));
}

interface Row {
  family: number;
  prefixLength: number;
  address: Uint8Array;
  pathId: number;
  set: number;
}

function row(setCount: number, withdrawShare: number): fc.Arbitrary<Row> {
  return fc.constantFrom(COLUMN_FAMILY['ipv4-unicast'], COLUMN_FAMILY['ipv6-unicast']).chain((family) =>
    fc.record({
      family: fc.constant<number>(family),
      prefixLength: fc.integer({ min: 0, max: family === 0 ? 32 : 128 }),
      address: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      pathId: u32,
      set: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: setCount - 1 }), weight: 10 - withdrawShare },
        { arbitrary: fc.constant(WITHDRAW), weight: withdrawShare },
      ),
    }),
  );
}

/** IPv6 routes are moved to sets with IPv6 next hops where one exists, so most batches encode. */
function fitting(rows: Row[], sets: AttributeSet[]): Row[] {
  const ipv6Sets = sets.flatMap((set, index) => (set.nextHops.length > 0 && set.nextHops.every((hop) => hop.includes(':')) ? [index] : []));
  return rows.map((route, i) =>
    route.family === COLUMN_FAMILY['ipv6-unicast'] && route.set !== WITHDRAW && ipv6Sets.length > 0 && !ipv6Sets.includes(route.set)
      ? { ...route, set: ipv6Sets[i % ipv6Sets.length] }
      : route,
  );
}

function columns(rows: Row[]): RouteColumns {
  const routes = emptyRouteColumns(rows.length);
  rows.forEach((route, i) => {
    routes.family[i] = route.family;
    routes.prefixLength[i] = route.prefixLength;
    routes.address.set(route.address, i * 16);
    routes.pathId[i] = route.pathId;
    routes.attributeSet[i] = route.set;
  });
  return routes;
}

export function routeBatch(context: SessionContext): fc.Arbitrary<RouteBatch> {
  return fc.array(attributeSet(context), { minLength: 1, maxLength: 4 }).chain((sets) =>
    fc
      .tuple(fc.array(row(sets.length, 2), { maxLength: 60 }), fc.nat(3).map((draw) => draw === 0))
      .map(([rows, keepMisfits]) => ({ routes: columns(keepMisfits ? rows : fitting(rows, sets)), sets })),
  );
}
