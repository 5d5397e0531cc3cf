/**
 * ROUTE-REFRESH, RFC 2918 section 3, with the RFC 7313 section 3 Message Subtype in the octet
 * RFC 2918 reserved (0 normal request, 1 BoRR, 2 EoRR):
 *
 *      0       7      15      23      31
 *     +-------+-------+-------+-------+
 *     |      AFI      | Subtyp| SAFI  |
 *     +-------+-------+-------+-------+
 */
import type { ResolvedContext } from './context.ts';
import { badRouteRefreshLength } from './errors.ts';
import { familyCodes, familyName } from './families.ts';
import { finishMessage, HEADER_LENGTH, startMessage } from './header.ts';
import { toHex } from './hex.ts';
import { readU16 } from './reader.ts';
import type { DecodeResult, RouteRefreshMessage } from './types.ts';
import { ByteWriter } from './writer.ts';

const ROUTE_REFRESH_LENGTH = HEADER_LENGTH + 4;

/** Decodes a ROUTE-REFRESH whose header was checked; RFC 7313 section 5 fixes its length. */
export function decodeRouteRefresh(bytes: Uint8Array, start: number, end: number): DecodeResult {
  if (end - start !== ROUTE_REFRESH_LENGTH) return { error: badRouteRefreshLength(toHex(bytes, start, end)) };
  const at = start + HEADER_LENGTH;
  return { message: { type: 'route-refresh', family: familyName(readU16(bytes, at), bytes[at + 3]), subtype: bytes[at + 2] } };
}

export function encodeRouteRefresh(message: RouteRefreshMessage, context: ResolvedContext): Uint8Array {
  const writer = new ByteWriter(ROUTE_REFRESH_LENGTH);
  startMessage(writer, 'route-refresh');
  const { afi, safi } = familyCodes(message.family);
  writer.u16(afi, 'AFI');
  writer.u8(message.subtype, 'subtype');
  writer.u8(safi, 'SAFI');
  return finishMessage(writer, context.maxMessageLength, 'ROUTE-REFRESH');
}
