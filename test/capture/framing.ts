/**
 * Just enough of the BGP header to cut a byte stream into messages (RFC 4271 section 4.1): a 16-octet
 * marker of all ones, a 2-octet length at offset 16 and a 1-octet type at offset 18. The capture
 * tooling must not depend on Porter's codec, so this is all it reads, plus the End-of-RIB shapes.
 */

export const HEADER_LENGTH = 19;

export const MESSAGE_TYPES: Record<number, string> = {
  1: 'open',
  2: 'update',
  3: 'notification',
  4: 'keepalive',
  5: 'route-refresh',
};

export interface FramedMessage {
  offset: number;
  length: number;
  type: number;
}

export interface Framing {
  messages: FramedMessage[];
  /** Offset of the first byte not in a whole message: equals the stream length when it ends cleanly. */
  consumed: number;
  /** Offset of the first message whose marker is not all ones, if any; framing stops there. */
  badMarkerAt?: number;
}

/** Cuts a stream into whole messages, stopping at a partial message or a broken marker. */
export function frame(bytes: Uint8Array): Framing {
  const messages: FramedMessage[] = [];
  let offset = 0;
  while (bytes.length - offset >= HEADER_LENGTH) {
    for (let i = 0; i < 16; i += 1) {
      if (bytes[offset + i] !== 0xff) return { messages, consumed: offset, badMarkerAt: offset };
    }
    const length = (bytes[offset + 16] << 8) | bytes[offset + 17];
    if (length < HEADER_LENGTH) return { messages, consumed: offset, badMarkerAt: offset };
    if (bytes.length - offset < length) break;
    messages.push({ offset, length, type: bytes[offset + 18] });
    offset += length;
  }
  return { messages, consumed: offset };
}

/**
 * The family an End-of-RIB marker stands for (RFC 4724 section 2), or undefined for any other message:
 * an UPDATE with nothing in it is IPv4 unicast; one holding only an empty MP_UNREACH_NLRI is that family.
 */
export function endOfRibFamily(message: Uint8Array): string | undefined {
  if (message[18] !== 2) return undefined;
  if (message.length === HEADER_LENGTH + 4) return 'ipv4-unicast';
  const withdrawnLength = (message[19] << 8) | message[20];
  const attributesLength = (message[21] << 8) | message[22];
  if (withdrawnLength !== 0 || HEADER_LENGTH + 4 + attributesLength !== message.length) return undefined;
  const flags = message[23];
  const code = message[24];
  const extended = (flags & 0x10) !== 0;
  const valueLength = extended ? (message[25] << 8) | message[26] : message[25];
  const valueStart = extended ? 27 : 26;
  if (code !== 15 || valueLength !== 3 || valueStart + 3 !== message.length) return undefined;
  return familyName((message[valueStart] << 8) | message[valueStart + 1], message[valueStart + 2]);
}

export function familyName(afi: number, safi: number): string {
  if (afi === 1 && safi === 1) return 'ipv4-unicast';
  if (afi === 2 && safi === 1) return 'ipv6-unicast';
  return `${afi}/${safi}`;
}

/** Messages of a stream counted by type name, End-of-RIB markers counted apart as `end-of-rib`. */
export function countMessages(bytes: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of frame(bytes).messages) {
    const message = bytes.subarray(m.offset, m.offset + m.length);
    const name = endOfRibFamily(message) ? 'end-of-rib' : (MESSAGE_TYPES[m.type] ?? `type-${m.type}`);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
