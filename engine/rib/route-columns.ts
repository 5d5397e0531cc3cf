/**
 * Outbound routes in the codec's columnar form (`RouteColumns`), for `encodeRoutes`: one row per
 * route, its prefix in binary form (parsed once, when the Adj-RIB-Out first holds the destination,
 * since a table dump would otherwise parse every prefix of the table again), and its attribute set
 * as an index into the sets given with the columns, or WITHDRAW.
 */
import { COLUMN_FAMILY, type Family, type RouteColumns } from '../wire/types.ts';
import { parsePrefix, type ParsedPrefix } from './prefix.ts';
import { emptyRouteColumns } from '../wire/route-columns.ts';

/** The binary form of a RIB prefix; a prefix that is not one of the two unicast families is a programming error. */
export function binaryPrefix(family: Family, prefix: string): ParsedPrefix {
  const parsed = parsePrefix(prefix);
  if (parsed === undefined || parsed.family !== family) throw new Error(`not a ${family} prefix: ${prefix}`);
  return parsed;
}

export interface ColumnRow {
  prefix: ParsedPrefix;
  pathId: number;
  /** Index into the attribute sets, or WITHDRAW. */
  set: number;
}

/** The rows as columns. */
export function toColumns(rows: readonly ColumnRow[]): RouteColumns {
  const columns = emptyRouteColumns(rows.length);
  rows.forEach((row, index) => {
    columns.family[index] = COLUMN_FAMILY[row.prefix.family];
    columns.prefixLength[index] = row.prefix.length;
    columns.address.set(row.prefix.address, index * 16);
    columns.pathId[index] = row.pathId;
    columns.attributeSet[index] = row.set;
  });
  return columns;
}
