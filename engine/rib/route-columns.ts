/**
 * Outbound routes in the codec's columnar form (`RouteColumns`), for `encodeRoutes`: one row per
 * route, its prefix written into the address column straight from the RIB's canonical text (an
 * IPv4 prefix is read in one pass, so the tables keep no binary copy of every prefix), and its
 * attribute set as an index into the sets given with the columns, or WITHDRAW.
 */
import { COLUMN_FAMILY, type Family, type RouteColumns } from '../wire/types.ts';
import { maskIpv4, packedIpv4Prefix, parsePrefix, type UnicastFamilyName } from './prefix.ts';
import { emptyRouteColumns } from '../wire/route-columns.ts';

export interface ColumnRow {
  family: Family;
  /** Canonical text, as the RIB keys it. */
  prefix: string;
  pathId: number;
  /** Index into the attribute sets, or WITHDRAW. */
  set: number;
}

/** The rows as columns. A prefix that is not of its row's family is a programming error. */
export function toColumns(rows: readonly ColumnRow[]): RouteColumns {
  const columns = emptyRouteColumns(rows.length);
  rows.forEach((row, index) => {
    columns.prefixLength[index] = writePrefix(row.family, row.prefix, columns.address, index * 16);
    // writePrefix took the family as one of the unicast ones.
    columns.family[index] = COLUMN_FAMILY[row.family as UnicastFamilyName];
    columns.pathId[index] = row.pathId;
    columns.attributeSet[index] = row.set;
  });
  return columns;
}

/** Writes a prefix's masked address at `offset` and answers with its length. */
function writePrefix(family: Family, prefix: string, address: Uint8Array, offset: number): number {
  const packed = family === 'ipv4-unicast' ? packedIpv4Prefix(prefix) : -1;
  if (packed >= 0) {
    const length = packed % 64;
    const value = maskIpv4((packed - length) / 64, length);
    address[offset] = value >>> 24;
    address[offset + 1] = (value >>> 16) & 0xff;
    address[offset + 2] = (value >>> 8) & 0xff;
    address[offset + 3] = value & 0xff;
    return length;
  }
  const parsed = parsePrefix(prefix);
  if (parsed === undefined || parsed.family !== family) throw new Error(`not a ${family} prefix: ${prefix}`);
  address.set(parsed.address, offset);
  return parsed.length;
}
