/**
 * The capture peer's hand-built OPEN (RFC 4271 section 4.2) with the capabilities it offers, and a
 * reading of the daemon's OPEN that is only as deep as the negotiated session context needs.
 */
import type { UnicastFamily } from '../daemons/config.ts';
import { familyName } from './framing.ts';

export interface OfferedCapabilities {
  /** Multiprotocol (RFC 4760), one per family. */
  families: UnicastFamily[];
  routeRefresh?: boolean;
  /** RFC 7313 */
  enhancedRouteRefresh?: boolean;
  /** RFC 6793; without it the peer is a 2-octet AS speaker and its AS must fit 16 bits. */
  fourOctetAs?: boolean;
  /** RFC 4724, helper only: restart time 120 s, forwarding state not kept. */
  gracefulRestart?: boolean;
  /** RFC 9494 long-lived graceful restart, stale time 1 h (needs gracefulRestart). */
  longLivedGracefulRestart?: boolean;
  /** RFC 7911 ADD-PATH modes the peer offers, by family. */
  addPath?: { family: UnicastFamily; mode: 'receive' | 'send' | 'both' }[];
  /** RFC 8654 */
  extendedMessage?: boolean;
  /** RFC 8950: IPv4 unicast NLRI with an IPv6 next hop. */
  extendedNextHop?: boolean;
}

export interface OpenOptions {
  asn: number;
  bgpId: string;
  holdTime: number;
  capabilities: OfferedCapabilities;
}

/** AS_TRANS (RFC 6793 section 9): the My Autonomous System of a 4-octet AS that does not fit 16 bits. */
const AS_TRANS = 23456;

const AFI_SAFI: Record<UnicastFamily, [number, number]> = {
  'ipv4-unicast': [1, 1],
  'ipv6-unicast': [2, 1],
};

const ADD_PATH_MODE = { receive: 1, send: 2, both: 3 } as const;

/** Encodes the OPEN, all capabilities in one optional parameter of type 2 (RFC 5492). */
export function buildOpen(options: OpenOptions): Buffer {
  const caps = options.capabilities;
  const list: Buffer[] = [];
  for (const family of caps.families) list.push(capability(1, [...u16(AFI_SAFI[family][0]), 0, AFI_SAFI[family][1]]));
  if (caps.routeRefresh) list.push(capability(2, []));
  if (caps.extendedNextHop) list.push(capability(5, [...u16(1), ...u16(1), ...u16(2)]));
  if (caps.extendedMessage) list.push(capability(6, []));
  if (caps.gracefulRestart) {
    const perFamily = caps.families.flatMap((f) => [...u16(AFI_SAFI[f][0]), AFI_SAFI[f][1], 0]);
    list.push(capability(64, [...u16(120), ...perFamily]));
  }
  if (caps.fourOctetAs) list.push(capability(65, u32(options.asn)));
  if (caps.addPath?.length) {
    list.push(capability(69, caps.addPath.flatMap((a) => [...u16(AFI_SAFI[a.family][0]), AFI_SAFI[a.family][1], ADD_PATH_MODE[a.mode]])));
  }
  if (caps.enhancedRouteRefresh) list.push(capability(70, []));
  if (caps.longLivedGracefulRestart) {
    list.push(capability(71, caps.families.flatMap((f) => [...u16(AFI_SAFI[f][0]), AFI_SAFI[f][1], 0, 0, 0x0e, 0x10])));
  }
  const capabilities = Buffer.concat(list);
  const parameters = capabilities.length ? Buffer.concat([Buffer.from([2, capabilities.length]), capabilities]) : Buffer.alloc(0);
  if (!caps.fourOctetAs && options.asn > 0xffff) throw new Error(`AS ${options.asn} needs the four-octet-as capability`);
  const myAs = options.asn > 0xffff ? AS_TRANS : options.asn;
  const body = Buffer.from([
    4,
    ...u16(myAs),
    ...u16(options.holdTime),
    ...options.bgpId.split('.').map(Number),
    parameters.length,
  ]);
  return message(1, Buffer.concat([body, parameters]));
}

export const KEEPALIVE = message(4, Buffer.alloc(0));

/** Capabilities of an OPEN as (code, value) pairs, from every type 2 optional parameter. */
export function readCapabilities(open: Uint8Array): { code: number; value: Uint8Array }[] {
  const found: { code: number; value: Uint8Array }[] = [];
  const parametersLength = open[28];
  let offset = 29;
  const end = offset + parametersLength;
  while (offset + 2 <= end) {
    const type = open[offset];
    const length = open[offset + 1];
    if (type === 2) {
      let at = offset + 2;
      while (at + 2 <= offset + 2 + length) {
        found.push({ code: open[at], value: open.subarray(at + 2, at + 2 + open[at + 1]) });
        at += 2 + open[at + 1];
      }
    }
    offset += 2 + length;
  }
  return found;
}

/** The session context as the daemon's stream is to be read, from both OPENs (RFC 6793, 7911, 8654). */
export function negotiatedContext(ours: OfferedCapabilities, theirOpen: Uint8Array) {
  const theirs = readCapabilities(theirOpen);
  const has = (code: number) => theirs.some((c) => c.code === code);
  const theySend = new Set<string>();
  for (const cap of theirs.filter((c) => c.code === 69)) {
    for (let i = 0; i + 4 <= cap.value.length; i += 4) {
      const mode = cap.value[i + 3];
      if (mode & ADD_PATH_MODE.send) theySend.add(familyName((cap.value[i] << 8) | cap.value[i + 1], cap.value[i + 2]));
    }
  }
  const weReceive = new Set((ours.addPath ?? []).filter((a) => a.mode !== 'send').map((a) => a.family));
  return {
    fourOctetAs: Boolean(ours.fourOctetAs) && has(65),
    addPath: [...theySend].filter((f) => weReceive.has(f as UnicastFamily)),
    extendedMessage: Boolean(ours.extendedMessage) && has(6),
  };
}

function capability(code: number, value: number[]): Buffer {
  return Buffer.from([code, value.length, ...value]);
}

function message(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(19, 0xff);
  header.writeUInt16BE(19 + body.length, 16);
  header[18] = type;
  return Buffer.concat([header, body]);
}

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
