/**
 * Hand assembly of BGP messages for the malformed-message table. Deliberately independent of the
 * codecs under test: every octet is written here from RFC 4271's layouts, so a case says exactly
 * what is on the wire.
 */

export type Bytes = number[];

export const u8 = (value: number): Bytes => [value & 0xff];
export const u16 = (value: number): Bytes => [(value >>> 8) & 0xff, value & 0xff];
export const u32 = (value: number): Bytes => [...u16(value >>> 16), ...u16(value & 0xffff)];

export const hex = (bytes: Bytes): string => Buffer.from(bytes).toString('hex');

export function ipv4(text: string): Bytes {
  return text.split('.').map(Number);
}

/** An IPv6 address with at most one "::". */
export function ipv6(text: string): Bytes {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = groups(head);
  const back = groups(tail);
  const middle = new Array(8 - front.length - back.length).fill(0);
  return [...front, ...middle, ...back].flatMap(u16);
}

/** One NLRI: length in bits, then the ceil(length/8) leading octets of the address. */
export function prefix(address: Bytes, length: number): Bytes {
  return [length, ...address.slice(0, Math.ceil(length / 8))];
}

export const v4 = (text: string): Bytes => {
  const [address, length] = text.split('/');
  return prefix(ipv4(address), Number(length));
};

export const v6 = (text: string): Bytes => {
  const [address, length] = text.split('/');
  return prefix(ipv6(address), Number(length));
};

/** An NLRI preceded by its ADD-PATH path identifier (RFC 7911 section 3). */
export const withPathId = (pathId: number, nlri: Bytes): Bytes => [...u32(pathId), ...nlri];

export const MESSAGE_TYPE = { open: 1, update: 2, notification: 3, keepalive: 4, routeRefresh: 5 } as const;

export const MARKER: Bytes = new Array(16).fill(0xff);

/** RFC 4271 section 4.1: marker, length, type, body. `length` overrides the true length. */
export function message(type: number, body: Bytes, options: { length?: number; marker?: Bytes } = {}): Bytes {
  const length = options.length ?? 19 + body.length;
  return [...(options.marker ?? MARKER), ...u16(length), type, ...body];
}

export const FLAG = { optional: 0x80, transitive: 0x40, partial: 0x20, extendedLength: 0x10 } as const;

/** RFC 4271 section 4.3 path attribute; the length takes 2 octets when Extended Length is set. */
export function attribute(flags: number, code: number, value: Bytes, options: { length?: number } = {}): Bytes {
  const length = options.length ?? value.length;
  const lengthField = flags & FLAG.extendedLength ? u16(length) : u8(length);
  return [flags, code, ...lengthField, ...value];
}

export interface UpdateParts {
  withdrawn?: Bytes;
  attributes?: Bytes;
  nlri?: Bytes;
  /** Overrides the Withdrawn Routes Length field. */
  withdrawnLength?: number;
  /** Overrides the Total Path Attribute Length field. */
  attributesLength?: number;
}

/** RFC 4271 section 4.3: the UPDATE body. */
export function updateBody(parts: UpdateParts): Bytes {
  const withdrawn = parts.withdrawn ?? [];
  const attributes = parts.attributes ?? [];
  return [
    ...u16(parts.withdrawnLength ?? withdrawn.length),
    ...withdrawn,
    ...u16(parts.attributesLength ?? attributes.length),
    ...attributes,
    ...(parts.nlri ?? []),
  ];
}

export const update = (parts: UpdateParts): Bytes => message(MESSAGE_TYPE.update, updateBody(parts));

/** RFC 5492 capability: code, length, value. */
export const capability = (code: number, value: Bytes, length = value.length): Bytes => [code, length, ...value];

/** RFC 4271 section 4.2 optional parameter: type, length, value. */
export const parameter = (type: number, value: Bytes, length = value.length): Bytes => [type, length, ...value];

export interface OpenParts {
  version?: number;
  myAs?: number;
  holdTime?: number;
  bgpId?: string;
  /** The optional parameters, already encoded. */
  parameters?: Bytes;
  /** Overrides the Optional Parameters Length field. */
  parametersLength?: number;
}

/** RFC 4271 section 4.2: the OPEN message. */
export function open(parts: OpenParts): Bytes {
  const parameters = parts.parameters ?? [];
  return message(MESSAGE_TYPE.open, [
    parts.version ?? 4,
    ...u16(parts.myAs ?? 65001),
    ...u16(parts.holdTime ?? 90),
    ...ipv4(parts.bgpId ?? '192.0.2.1'),
    parts.parametersLength ?? parameters.length,
    ...parameters,
  ]);
}

/** RFC 4760 section 3: MP_REACH_NLRI value. `reserved: false` leaves out the reserved octet. */
export function mpReachValue(
  afi: number,
  safi: number,
  nextHop: Bytes,
  nlri: Bytes,
  options: { nextHopLength?: number; reserved?: boolean } = {},
): Bytes {
  const reserved = options.reserved === false ? [] : [0];
  return [...u16(afi), safi, options.nextHopLength ?? nextHop.length, ...nextHop, ...reserved, ...nlri];
}

/** RFC 4760 section 4: MP_UNREACH_NLRI value. */
export const mpUnreachValue = (afi: number, safi: number, withdrawn: Bytes): Bytes => [...u16(afi), safi, ...withdrawn];
