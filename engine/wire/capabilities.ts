/**
 * Capabilities (RFC 5492) as a descriptor table, walked by the OPEN codec. Each capability is
 *
 *     +------------------------------+
 *     | Capability Code (1 octet)    |
 *     +------------------------------+
 *     | Capability Length (1 octet)  |
 *     +------------------------------+
 *     | Capability Value (variable)  |
 *     +------------------------------+
 *
 * A known code whose length its format forbids is malformed-capability; any other code is kept as
 * `unknown` with its value. Flag bits no RFC defines are ignored on receipt.
 */
import { WireEncodeError } from './errors.ts';
import { familyCodes, familyName } from './families.ts';
import { toHex } from './hex.ts';
import { readU16, readU24, readU32 } from './reader.ts';
import type { Capability } from './types.ts';
import { ByteWriter } from './writer.ts';

type CapabilityOf<T extends Capability['type']> = Extract<Capability, { type: T }>;

/** A malformed value: the length does not fit the format. */
const MALFORMED = null;

interface CapabilityDescriptor<T extends Capability['type']> {
  code: number;
  type: T;
  /** Decodes `bytes[start, end)`, or MALFORMED; `undefined` keeps the capability as unknown. */
  decode(bytes: Uint8Array, start: number, end: number): CapabilityOf<T> | typeof MALFORMED | undefined;
  encode(capability: CapabilityOf<T>, writer: ByteWriter): void;
}

/** Reads `size`-octet entries, or MALFORMED when the value is not a whole number of them. */
function entries<E>(start: number, end: number, size: number, read: (at: number) => E): E[] | null {
  if ((end - start) % size !== 0) return MALFORMED;
  const list: E[] = [];
  for (let at = start; at < end; at += size) list.push(read(at));
  return list;
}

function empty<T extends 'route-refresh' | 'extended-message' | 'enhanced-route-refresh'>(
  code: number,
  type: T,
): CapabilityDescriptor<T> {
  return {
    code,
    type,
    decode: (_bytes, start, end) => (end === start ? ({ type } as CapabilityOf<T>) : MALFORMED),
    encode: () => {},
  };
}

const ADD_PATH_MODES = ['receive', 'send', 'both'] as const;

/** RFC 4760 section 8: AFI (2), reserved (1), SAFI (1). */
const multiprotocol: CapabilityDescriptor<'multiprotocol'> = {
  code: 1,
  type: 'multiprotocol',
  decode: (bytes, start, end) =>
    end - start === 4 ? { type: 'multiprotocol', family: familyName(readU16(bytes, start), bytes[start + 3]) } : MALFORMED,
  encode: (capability, writer) => {
    const { afi, safi } = familyCodes(capability.family);
    writer.u16(afi, 'AFI');
    writer.u8(0, 'reserved');
    writer.u8(safi, 'SAFI');
  },
};

/** RFC 8950 section 3: entries of AFI (2), SAFI (2), next-hop AFI (2). */
const extendedNextHop: CapabilityDescriptor<'extended-next-hop'> = {
  code: 5,
  type: 'extended-next-hop',
  decode: (bytes, start, end) => {
    const list = entries(start, end, 6, (at) => ({
      family: familyName(readU16(bytes, at), readU16(bytes, at + 2)),
      nextHopAfi: readU16(bytes, at + 4),
    }));
    return list === MALFORMED ? MALFORMED : { type: 'extended-next-hop', entries: list };
  },
  encode: (capability, writer) => {
    for (const entry of capability.entries) {
      const { afi, safi } = familyCodes(entry.family, 0xffff);
      writer.u16(afi, 'AFI');
      writer.u16(safi, 'SAFI');
      writer.u16(entry.nextHopAfi, 'next-hop AFI');
    }
  },
};

/**
 * RFC 4724 section 3 (and RFC 8538 for the N bit): restart flags (4 bits), restart time (12 bits),
 * then entries of AFI (2), SAFI (1), flags (1) with Forwarding State 0x80.
 */
const gracefulRestart: CapabilityDescriptor<'graceful-restart'> = {
  code: 64,
  type: 'graceful-restart',
  decode: (bytes, start, end) => {
    if (end - start < 2) return MALFORMED;
    const families = entries(start + 2, end, 4, (at) => ({
      family: familyName(readU16(bytes, at), bytes[at + 2]),
      forwarding: (bytes[at + 3] & 0x80) !== 0,
    }));
    if (families === MALFORMED) return MALFORMED;
    return {
      type: 'graceful-restart',
      restarting: (bytes[start] & 0x80) !== 0,
      notification: (bytes[start] & 0x40) !== 0,
      restartTime: readU16(bytes, start) & 0x0fff,
      families,
    };
  },
  encode: (capability, writer) => {
    if (!Number.isInteger(capability.restartTime) || capability.restartTime < 0 || capability.restartTime > 0x0fff) {
      throw new WireEncodeError(`graceful restart time ${capability.restartTime} does not fit 12 bits`);
    }
    const flags = (capability.restarting ? 0x8000 : 0) | (capability.notification ? 0x4000 : 0);
    writer.u16(flags | capability.restartTime, 'restart flags and time');
    for (const entry of capability.families) {
      const { afi, safi } = familyCodes(entry.family);
      writer.u16(afi, 'AFI');
      writer.u8(safi, 'SAFI');
      writer.u8(entry.forwarding ? 0x80 : 0, 'flags');
    }
  },
};

/** RFC 6793 section 3: the 4-octet AS number. */
const fourOctetAs: CapabilityDescriptor<'four-octet-as'> = {
  code: 65,
  type: 'four-octet-as',
  decode: (bytes, start, end) => (end - start === 4 ? { type: 'four-octet-as', asn: readU32(bytes, start) } : MALFORMED),
  encode: (capability, writer) => writer.u32(capability.asn, 'AS number'),
};

/**
 * RFC 7911 section 4: entries of AFI (2), SAFI (1), Send/Receive (1). A Send/Receive value other
 * than 1 to 3 has no meaning, so such a capability is kept as unknown, octets intact.
 */
const addPath: CapabilityDescriptor<'add-path'> = {
  code: 69,
  type: 'add-path',
  decode: (bytes, start, end) => {
    const families = entries(start, end, 4, (at) => ({
      family: familyName(readU16(bytes, at), bytes[at + 2]),
      mode: ADD_PATH_MODES[bytes[at + 3] - 1],
    }));
    if (families === MALFORMED) return MALFORMED;
    if (families.some((entry) => entry.mode === undefined)) return undefined;
    return { type: 'add-path', families };
  },
  encode: (capability, writer) => {
    for (const entry of capability.families) {
      const { afi, safi } = familyCodes(entry.family);
      const mode = ADD_PATH_MODES.indexOf(entry.mode);
      if (mode < 0) throw new WireEncodeError(`ADD-PATH mode ${JSON.stringify(entry.mode)}`);
      writer.u16(afi, 'AFI');
      writer.u8(safi, 'SAFI');
      writer.u8(mode + 1, 'Send/Receive');
    }
  },
};

/** RFC 9494 section 3: entries of AFI (2), SAFI (1), flags (1) with F bit 0x80, stale time (3). */
const longLivedGracefulRestart: CapabilityDescriptor<'long-lived-graceful-restart'> = {
  code: 71,
  type: 'long-lived-graceful-restart',
  decode: (bytes, start, end) => {
    const families = entries(start, end, 7, (at) => ({
      family: familyName(readU16(bytes, at), bytes[at + 2]),
      forwarding: (bytes[at + 3] & 0x80) !== 0,
      staleTime: readU24(bytes, at + 4),
    }));
    return families === MALFORMED ? MALFORMED : { type: 'long-lived-graceful-restart', families };
  },
  encode: (capability, writer) => {
    for (const entry of capability.families) {
      const { afi, safi } = familyCodes(entry.family);
      writer.u16(afi, 'AFI');
      writer.u8(safi, 'SAFI');
      writer.u8(entry.forwarding ? 0x80 : 0, 'flags');
      writer.u24(entry.staleTime, 'stale time');
    }
  },
};

const DESCRIPTORS: CapabilityDescriptor<Capability['type']>[] = [
  multiprotocol,
  empty(2, 'route-refresh'),
  extendedNextHop,
  empty(6, 'extended-message'),
  gracefulRestart,
  fourOctetAs,
  addPath,
  empty(70, 'enhanced-route-refresh'),
  longLivedGracefulRestart,
] as CapabilityDescriptor<Capability['type']>[];

const BY_CODE = new Map(DESCRIPTORS.map((descriptor) => [descriptor.code, descriptor]));
const BY_TYPE = new Map(DESCRIPTORS.map((descriptor) => [descriptor.type, descriptor]));

/** Decodes one capability value; null when a known capability has a length its format forbids. */
export function decodeCapability(code: number, bytes: Uint8Array, start: number, end: number): Capability | null {
  const decoded = BY_CODE.get(code)?.decode(bytes, start, end);
  if (decoded === MALFORMED) return MALFORMED;
  return decoded ?? { type: 'unknown', code, data: toHex(bytes, start, end) };
}

/** Encodes one capability, code and length included. */
export function encodeCapability(capability: Capability, writer: ByteWriter): void {
  const value = new ByteWriter();
  let code: number;
  if (capability.type === 'unknown') {
    code = capability.code;
    value.hex(capability.data, 'capability data');
  } else {
    const descriptor = BY_TYPE.get(capability.type);
    if (descriptor === undefined) throw new WireEncodeError(`unknown capability type ${JSON.stringify(capability.type)}`);
    code = descriptor.code;
    descriptor.encode(capability, value);
  }
  writer.u8(code, 'capability code');
  writer.u8(value.length, 'capability length');
  writer.bytes(value.view());
}
