/** Big-endian integer reads; callers check bounds first. */

export function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

export function readU24(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** A 2- or 4-octet integer, e.g. an AS number by session context. */
export function readUint(bytes: Uint8Array, offset: number, size: 2 | 4): number {
  return size === 2 ? readU16(bytes, offset) : readU32(bytes, offset);
}
