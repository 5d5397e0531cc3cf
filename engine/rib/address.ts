/**
 * Addresses as ordering keys. The RIB compares BGP Identifiers and peer addresses as numbers
 * (RFC 4271 section 9.1.2.2 f and g); it keys them once, when a path is made, so that ranking
 * compares plain numbers and strings.
 */

/** A dotted-quad IPv4 address (a BGP Identifier, an ORIGINATOR_ID) as an unsigned 32-bit number. */
export function ipv4ToNumber(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${address}`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: ${address}`);
    value = value * 256 + octet;
  }
  return value;
}

/**
 * An IPv4 or IPv6 address as 32 lowercase hex digits (IPv4 as IPv4-mapped IPv6, RFC 4291 section
 * 2.5.5.2), so that comparing keys as strings compares addresses as numbers. A zone (`%eth0`) is
 * ignored.
 */
export function addressKey(address: string): string {
  const bare = address.split('%')[0];
  if (!bare.includes(':')) return `00000000000000000000ffff${ipv4ToNumber(bare).toString(16).padStart(8, '0')}`;
  return ipv6Groups(bare)
    .map((group) => group.toString(16).padStart(4, '0'))
    .join('');
}

/** The eight 16-bit groups of an IPv6 address in text form (RFC 4291 section 2.2). */
function ipv6Groups(address: string): number[] {
  const halves = address.split('::');
  if (halves.length > 2) throw new Error(`not an IPv6 address: ${address}`);
  const head = groupsOf(halves[0], address);
  const tail = halves.length === 2 ? groupsOf(halves[1], address) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) throw new Error(`not an IPv6 address: ${address}`);
  return [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

function groupsOf(text: string, address: string): number[] {
  if (text === '') return [];
  const groups: number[] = [];
  const pieces = text.split(':');
  pieces.forEach((piece, index) => {
    if (index === pieces.length - 1 && piece.includes('.')) {
      const ipv4 = ipv4ToNumber(piece);
      groups.push(Math.floor(ipv4 / 0x10000), ipv4 % 0x10000);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      throw new Error(`not an IPv6 address: ${address}`);
    }
  });
  return groups;
}
