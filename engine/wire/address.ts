/**
 * IPv4 and IPv6 addresses as text (docs/wire-model.md, "Text forms"): dotted quads, and IPv6 as
 * RFC 5952 prints it, with an IPv4-mapped address as `::ffff:192.0.2.1` (RFC 5952 section 5).
 */

/** Dotted quad of the 4 octets at `offset`. */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text of the 16 octets at `offset`. */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1]);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  }
  // The longest run of two or more zero groups is compressed, the first on a tie (section 4.2).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Writes a dotted quad into `out` at `offset`; false when the text is not one. */
export function parseIpv4Into(text: string, out: Uint8Array, offset: number): boolean {
  if (typeof text !== 'string') return false;
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    if (!IPV4_OCTET.test(parts[i])) return false;
    const value = Number(parts[i]);
    if (value > 255) return false;
    out[offset + i] = value;
  }
  return true;
}

const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(text: string, out: number[]): boolean {
  if (text === '') return true;
  for (const part of text.split(':')) {
    if (!IPV6_GROUP.test(part)) return false;
    out.push(parseInt(part, 16));
  }
  return true;
}

/** Writes an IPv6 address (any RFC 4291 section 2.2 form) into `out` at `offset`; false when the text is not one. */
export function parseIpv6Into(text: string, out: Uint8Array, offset: number): boolean {
  if (typeof text !== 'string' || text.length < 2) return false;
  let body = text;
  // A trailing dotted quad stands for the last two groups (RFC 4291 section 2.2, form 3).
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.indexOf('.', lastColon) >= 0) {
    const quad = new Uint8Array(4);
    if (!parseIpv4Into(body.slice(lastColon + 1), quad, 0)) return false;
    tail.push((quad[0] << 8) | quad[1], (quad[2] << 8) | quad[3]);
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const head: number[] = [];
  const rest: number[] = [];
  const gap = body.indexOf('::');
  if (gap >= 0) {
    if (body.indexOf('::', gap + 1) >= 0) return false;
    if (!parseGroups(body.slice(0, gap), head) || !parseGroups(body.slice(gap + 2), rest)) return false;
    if (head.length + rest.length + tail.length > 7) return false;
  } else {
    if (!parseGroups(body, head) || head.length + tail.length !== 8) return false;
  }
  const groups = [...head, ...new Array<number>(8 - head.length - rest.length - tail.length).fill(0), ...rest, ...tail];
  for (let i = 0; i < 8; i++) {
    out[offset + 2 * i] = groups[i] >> 8;
    out[offset + 2 * i + 1] = groups[i] & 0xff;
  }
  return true;
}
