/**
 * Damage done to valid messages: the mistakes a peer's bytes (or a broken link) can make, aimed at
 * the places decoders trust most: bits, ends, and length fields.
 */
import fc from 'fast-check';

export interface Change {
  kind: 'flip-bit' | 'truncate' | 'set-u16' | 'set-octet' | 'insert' | 'delete';
  /** Position as a fraction of the message, so one change fits messages of any size. */
  where: number;
  bit: number;
  value: number;
  /** For set-u16: write the header's Length field rather than the octets at `where`. */
  lengthField: boolean;
}

export const change: fc.Arbitrary<Change> = fc.record({
  kind: fc.constantFrom('flip-bit', 'truncate', 'set-u16', 'set-octet', 'insert', 'delete'),
  where: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  bit: fc.integer({ min: 0, max: 7 }),
  value: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 2, 3, 18, 19, 23, 29, 255, 256, 4096, 4097, 0xffff)),
  lengthField: fc.boolean(),
});

export function mutate(bytes: Uint8Array, { kind, where, bit, value, lengthField }: Change): Uint8Array {
  const at = Math.floor(where * bytes.length);
  const out = Buffer.from(bytes);
  switch (kind) {
    case 'flip-bit':
      if (out.length > 0) out[at] ^= 1 << bit;
      return out;
    case 'truncate':
      return out.subarray(0, at);
    case 'set-u16': {
      const offset = lengthField ? 16 : Math.min(at, out.length - 2);
      if (offset >= 0 && offset + 2 <= out.length) out.writeUInt16BE(value, offset);
      return out;
    }
    case 'set-octet':
      if (out.length > 0) out[at] = value & 0xff;
      return out;
    case 'insert':
      return Buffer.concat([out.subarray(0, at), Buffer.from([value & 0xff]), out.subarray(at)]);
    case 'delete':
      return Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
  }
}
