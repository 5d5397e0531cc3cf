/**
 * A growable octet buffer for encoding. Every integer write checks its range and throws
 * WireEncodeError, so that a value too large for its field is reported rather than truncated.
 */
import { parseIpv4Into, parseIpv6Into } from './address.ts';
import { WireEncodeError } from './errors.ts';
import { fromHex } from './hex.ts';

function checkUint(value: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new WireEncodeError(`${what}: ${JSON.stringify(value)} is not an integer from 0 to ${max}`);
  }
  return value;
}

export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.buffer = new Uint8Array(capacity);
  }

  private reserve(count: number): number {
    const offset = this.length;
    if (offset + count > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, offset + count));
      grown.set(this.buffer.subarray(0, offset));
      this.buffer = grown;
    }
    this.length += count;
    return offset;
  }

  u8(value: number, what: string): void {
    checkUint(value, 0xff, what);
    const at = this.reserve(1);
    this.buffer[at] = value;
  }

  u16(value: number, what: string): void {
    checkUint(value, 0xffff, what);
    const at = this.reserve(2);
    this.buffer[at] = value >>> 8;
    this.buffer[at + 1] = value & 0xff;
  }

  u24(value: number, what: string): void {
    checkUint(value, 0xffffff, what);
    const at = this.reserve(3);
    this.buffer[at] = value >>> 16;
    this.buffer[at + 1] = (value >>> 8) & 0xff;
    this.buffer[at + 2] = value & 0xff;
  }

  u32(value: number, what: string): void {
    checkUint(value, 0xffffffff, what);
    const at = this.reserve(4);
    this.buffer[at] = value >>> 24;
    this.buffer[at + 1] = (value >>> 16) & 0xff;
    this.buffer[at + 2] = (value >>> 8) & 0xff;
    this.buffer[at + 3] = value & 0xff;
  }

  /** Writes a uint that is 2 or 4 octets wide, e.g. an AS number by session context. */
  uint(value: number, size: 2 | 4, what: string): void {
    if (size === 2) this.u16(value, what);
    else this.u32(value, what);
  }

  bytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }

  hex(text: string, what: string): void {
    this.bytes(fromHex(text, what));
  }

  ipv4(text: string, what: string): void {
    const at = this.reserve(4);
    if (!parseIpv4Into(text, this.buffer, at)) throw new WireEncodeError(`${what}: not an IPv4 address: ${JSON.stringify(text)}`);
  }

  ipv6(text: string, what: string): void {
    const at = this.reserve(16);
    if (!parseIpv6Into(text, this.buffer, at)) throw new WireEncodeError(`${what}: not an IPv6 address: ${JSON.stringify(text)}`);
  }

  /** Overwrites 2 octets already written, for a length known only after its content. */
  patchU16(offset: number, value: number, what: string): void {
    checkUint(value, 0xffff, what);
    this.buffer[offset] = value >>> 8;
    this.buffer[offset + 1] = value & 0xff;
  }

  /** A view of the octets written so far (valid until the next write). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** A copy of the octets written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

