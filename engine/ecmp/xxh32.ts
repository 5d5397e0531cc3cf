/**
 * XXH32, the 32-bit xxHash of Yann Collet (github.com/Cyan4973/xxHash, doc/xxhash_spec.md), seedable
 * and built from 32-bit multiplies and rotations only, so the TypeScript and Rust versions agree bit
 * for bit without BigInt. Input is read as little-endian 32-bit lanes, as the specification says: a
 * key given as 32-bit words hashes exactly like the bytes of those words written little-endian.
 */

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function round(accumulator: number, lane: number): number {
  return Math.imul(rotl((accumulator + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);
}

function avalanche(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 15), PRIME2);
  hash = Math.imul(hash ^ (hash >>> 13), PRIME3);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** XXH32 of `count` words of `words` from `offset`, i.e. of their 4 * count little-endian bytes. */
export function xxh32Words(words: Uint32Array, offset: number, count: number, seed: number): number {
  let i = offset;
  const end = offset + count;
  let hash: number;
  if (count >= 4) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    for (; i + 4 <= end; i += 4) {
      v1 = round(v1, words[i]);
      v2 = round(v2, words[i + 1]);
      v3 = round(v3, words[i + 2]);
      v4 = round(v4, words[i + 3]);
    }
    hash = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    hash = (seed + PRIME5) | 0;
  }
  hash = (hash + count * 4) | 0;
  for (; i < end; i++) hash = Math.imul(rotl((hash + Math.imul(words[i], PRIME3)) | 0, 17), PRIME4);
  return avalanche(hash);
}

/** XXH32 of a byte string (next-hop names, test vectors). */
export function xxh32Bytes(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  const lane = (at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
  let i = 0;
  let hash: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    for (; i + 16 <= length; i += 16) {
      v1 = round(v1, lane(i));
      v2 = round(v2, lane(i + 4));
      v3 = round(v3, lane(i + 8));
      v4 = round(v4, lane(i + 12));
    }
    hash = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    hash = (seed + PRIME5) | 0;
  }
  hash = (hash + length) | 0;
  for (; i + 4 <= length; i += 4) hash = Math.imul(rotl((hash + Math.imul(lane(i), PRIME3)) | 0, 17), PRIME4);
  for (; i < length; i++) hash = Math.imul(rotl((hash + Math.imul(bytes[i], PRIME5)) | 0, 11), PRIME1);
  return avalanche(hash);
}
