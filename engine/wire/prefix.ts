/**
 * NLRI prefixes of the unicast families, with ADD-PATH path identifiers.
 *
 * RFC 4271 section 4.3 and RFC 4760 section 5; RFC 7911 section 3 puts a path identifier first:
 *
 *     +--------------------------------+
 *     | Path Identifier (4 octets)     |   only for families in SessionContext.addPath
 *     +--------------------------------+
 *     | Length (1 octet)               |   in bits
 *     +--------------------------------+
 *     | Prefix (ceil(Length/8) octets) |
 *     +--------------------------------+
 */
import { formatIpv4, formatIpv6, parseIpv4Into, parseIpv6Into } from './address.ts';
import { WireEncodeError } from './errors.ts';
import type { UnicastFamily } from './families.ts';
import { readU32 } from './reader.ts';
import type { Prefix } from './types.ts';
import type { ByteWriter } from './writer.ts';

/** Receives one prefix: its `length` in bits and its ceil(length/8) octets from `offset`. */
export type PrefixVisitor = (bytes: Uint8Array, offset: number, length: number, pathId: number | undefined) => void;

/**
 * Walks the prefixes of `bytes[start, end)`, calling `visit` for each. Returns false at the first
 * malformed one (longer than the address, overrunning the field, or a truncated path identifier).
 */
export function walkPrefixes(
  bytes: Uint8Array,
  start: number,
  end: number,
  family: UnicastFamily,
  withPathId: boolean,
  visit: PrefixVisitor,
): boolean {
  const maxLength = family.addressLength * 8;
  let at = start;
  while (at < end) {
    let pathId: number | undefined;
    if (withPathId) {
      if (at + 4 >= end) return false;
      pathId = readU32(bytes, at);
      at += 4;
    }
    const length = bytes[at];
    const octets = (length + 7) >> 3;
    if (length > maxLength || at + 1 + octets > end) return false;
    visit(bytes, at + 1, length, pathId);
    at += 1 + octets;
  }
  return true;
}

const scratch = new Uint8Array(16);

/** CIDR text of a prefix: the octets on the wire, zeros after (docs/wire-model.md, "Text forms"). */
function prefixText(bytes: Uint8Array, offset: number, length: number, family: UnicastFamily): string {
  const octets = (length + 7) >> 3;
  scratch.fill(0);
  scratch.set(bytes.subarray(offset, offset + octets));
  const address = family.addressLength === 4 ? formatIpv4(scratch, 0) : formatIpv6(scratch, 0);
  return `${address}/${length}`;
}

/** Decodes the prefixes of a field into values; undefined when one is malformed. */
function decodePrefixes(
  bytes: Uint8Array,
  start: number,
  end: number,
  family: UnicastFamily,
  withPathId: boolean,
): Prefix[] | undefined {
  const prefixes: Prefix[] = [];
  const ok = walkPrefixes(bytes, start, end, family, withPathId, (source, offset, length, pathId) => {
    const prefix: Prefix = { prefix: prefixText(source, offset, length, family) };
    if (pathId !== undefined) prefix.pathId = pathId;
    prefixes.push(prefix);
  });
  return ok ? prefixes : undefined;
}

/** Writes one prefix; the path identifier is written (0 when absent) exactly when `withPathId`. */
function encodePrefix(writer: ByteWriter, prefix: Prefix, family: UnicastFamily, withPathId: boolean): void {
  const text = prefix.prefix;
  const slash = typeof text === 'string' ? text.lastIndexOf('/') : -1;
  const lengthText = slash < 0 ? '' : text.slice(slash + 1);
  const length = /^(0|[1-9][0-9]{0,2})$/.test(lengthText) ? Number(lengthText) : -1;
  scratch.fill(0);
  const address = slash < 0 ? '' : text.slice(0, slash);
  const parsed = family.addressLength === 4 ? parseIpv4Into(address, scratch, 0) : parseIpv6Into(address, scratch, 0);
  if (!parsed || length < 0 || length > family.addressLength * 8) {
    throw new WireEncodeError(`not an ${family.name} prefix: ${JSON.stringify(text)}`);
  }
  if (withPathId) writer.u32(prefix.pathId ?? 0, 'path identifier');
  else if (prefix.pathId !== undefined) {
    throw new WireEncodeError(`${text}: a path identifier, but ${family.name} is not in the ADD-PATH context`);
  }
  writer.u8(length, 'prefix length');
  writer.bytes(scratch.subarray(0, (length + 7) >> 3));
}

/** Writes a list of prefixes. */
export function encodePrefixes(writer: ByteWriter, prefixes: Prefix[], family: UnicastFamily, withPathId: boolean): void {
  if (!Array.isArray(prefixes)) throw new WireEncodeError(`${family.name} prefixes: not a list`);
  for (const prefix of prefixes) encodePrefix(writer, prefix, family, withPathId);
}

/** Which field of an UPDATE a list of prefixes comes from. */
export type NlriSection = 'withdrawn' | 'nlri' | 'mp-reach' | 'mp-unreach';

/**
 * Where the UPDATE decoder sends the prefixes it finds: the message decoder turns them into
 * values; the bulk decoder writes them into columns and gives back an empty list.
 */
export interface NlriTarget {
  /** Reads the prefixes of `bytes[start, end)`; undefined when one is malformed. */
  read(
    section: NlriSection,
    bytes: Uint8Array,
    start: number,
    end: number,
    family: UnicastFamily,
    withPathId: boolean,
  ): Prefix[] | undefined;
}

export const PREFIX_VALUES: NlriTarget = {
  read: (_section, bytes, start, end, family, withPathId) => decodePrefixes(bytes, start, end, family, withPathId),
};
