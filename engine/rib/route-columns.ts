/**
 * Outbound routes in the codec's columnar form (`RouteColumns`), for `encodeRoutes`: one row per
 * route, its prefix parsed into the 16-octet address column, and its attribute set as an index
 * into the sets given with the columns, or WITHDRAW.
 */
import { COLUMN_FAMILY, type Family, type RouteColumns } from '../wire/types.ts';
import { parsePrefix } from './prefix.ts';

export interface ColumnRow {
  family: Family;
  prefix: string;
  pathId: number;
  /** Index into the attribute sets, or WITHDRAW. */
  set: number;
}

/** The rows as columns; a prefix that is not one of the two unicast families is a programming error. */
export function toColumns(rows: readonly ColumnRow[]): RouteColumns {
  const count = rows.length;
  const columns: RouteColumns = {
    count,
    family: new Uint8Array(count),
    prefixLength: new Uint8Array(count),
    address: new Uint8Array(count * 16),
    pathId: new Uint32Array(count),
    attributeSet: new Uint32Array(count),
  };
  rows.forEach((row, index) => {
    const parsed = parsePrefix(row.prefix);
    if (parsed === undefined || parsed.family !== row.family) throw new Error(`not a ${row.family} prefix: ${row.prefix}`);
    columns.family[index] = COLUMN_FAMILY[parsed.family];
    columns.prefixLength[index] = parsed.length;
    columns.address.set(parsed.address, index * 16);
    columns.pathId[index] = row.pathId;
    columns.attributeSet[index] = row.set;
  });
  return columns;
}
