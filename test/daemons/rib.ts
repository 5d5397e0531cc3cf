/**
 * One shape for a route as a daemon holds it in its RIB, whatever the daemon prints: each module
 * reads its daemon's own output (JSON where the daemon has it) into this, so a test states what it
 * expects once for all five.
 */
import type { UnicastFamily } from './config.ts';

export interface RibPath {
  prefix: string;
  /** The neighbour the path came from; undefined for a path the daemon originated. */
  peer?: string;
  /** RFC 7911 path identifier, where the daemon shows the one it received. */
  pathId?: number;
  nextHops: string[];
  origin?: 'igp' | 'egp' | 'incomplete';
  /** AS_PATH as one list (sets flattened in order). */
  asPath: number[];
  med?: number;
  localPref?: number;
  /** "high:low" */
  communities: string[];
  /** "global:local1:local2" */
  largeCommunities: string[];
  /** "rt:<global>:<local>" or "lb:<asn>:<bytes per second>" (see extendedCommunityText); others "raw:<hex>". */
  extendedCommunities: string[];
  originatorId?: string;
  clusterList?: string[];
  best: boolean;
  /** A member of the multipath set beside the best path. */
  multipath?: boolean;
  /** Kept after its session went down, waiting for graceful restart (RFC 4724). */
  stale?: boolean;
}

/** How a daemon module reads its RIB: the received and originated paths of one family. */
export type RibReader = (family: UnicastFamily) => Promise<RibPath[]>;

/** A link bandwidth in the text form of RibPath (bandwidth rounded to whole bytes per second). */
export function linkBandwidthText(asn: number, bytesPerSecond: number): string {
  return `lb:${asn}:${Math.round(bytesPerSecond)}`;
}

/**
 * The RibPath text of an extended community from its 8 octets: route targets of the three RFC 4360
 * forms, link bandwidth in either type (0x00 transitive or 0x40), anything else raw.
 */
export function extendedCommunityText(octets: Uint8Array): string {
  const view = new DataView(octets.buffer, octets.byteOffset, 8);
  const type = octets[0];
  const subtype = octets[1];
  if (subtype === 0x04 && (type === 0x00 || type === 0x40)) return linkBandwidthText(view.getUint16(2), view.getFloat32(4));
  if (subtype === 0x02 && type === 0x00) return `rt:${view.getUint16(2)}:${view.getUint32(4)}`;
  if (subtype === 0x02 && type === 0x01) return `rt:${[...octets.subarray(2, 6)].join('.')}:${view.getUint16(6)}`;
  if (subtype === 0x02 && type === 0x02) return `rt:${view.getUint32(2)}:${view.getUint16(6)}`;
  return `raw:${Buffer.from(octets).toString('hex')}`;
}

/** The 8 octets from a 16-bit type-and-subtype and two values of 16+32 bits (the 2-octet AS layout). */
export function extendedCommunityOctets(typeAndSubtype: number, high: number, low: number): Uint8Array {
  const octets = new Uint8Array(8);
  const view = new DataView(octets.buffer);
  view.setUint16(0, typeAndSubtype);
  view.setUint16(2, high);
  view.setUint32(4, low >>> 0);
  return octets;
}

/** An empty path to fill in. */
export function emptyPath(prefix: string): RibPath {
  return { prefix, nextHops: [], asPath: [], communities: [], largeCommunities: [], extendedCommunities: [], best: false };
}

/** Origin names as daemons print them, in any case. */
export function originOf(text: string | undefined): RibPath['origin'] {
  const lower = text?.toLowerCase();
  if (lower === 'igp' || lower === 'i') return 'igp';
  if (lower === 'egp' || lower === 'e') return 'egp';
  if (lower === 'incomplete' || lower === '?') return 'incomplete';
  return undefined;
}
