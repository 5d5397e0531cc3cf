/**
 * The record of one flow in a FlowBatch and the key each HashFields choice hashes. The L3 key is the
 * start of the record (the two addresses), the 5-tuple key the whole record, so one layout serves
 * both and hashing reads the words in place.
 */
import { parseIpv4Into, parseIpv6Into } from '../wire/address.ts';
import type { FlowBatch, FlowFamily, HashFields, Result } from './types.ts';

/** Words per flow record: src, dst, proto, ports (IPv4); src[4], dst[4], proto, ports (IPv6). */
export const STRIDE: Record<FlowFamily, number> = { ipv4: 4, ipv6: 10 };

/** Words hashed per flow, from the start of its record. */
export function keyWords(family: FlowFamily, fields: HashFields): number {
  if (fields === 'five-tuple') return STRIDE[family];
  return family === 'ipv4' ? 2 : 8;
}

/** A flow in readable form, for tests, vectors and tools (batches are built as words directly). */
export interface Flow {
  src: string;
  dst: string;
  /** IP protocol number (6 TCP, 17 UDP). */
  proto: number;
  sport: number;
  dport: number;
}

function addressWords(text: string, family: FlowFamily, out: Uint32Array, offset: number): boolean {
  const octets = new Uint8Array(family === 'ipv4' ? 4 : 16);
  if (!(family === 'ipv4' ? parseIpv4Into(text, octets, 0) : parseIpv6Into(text, octets, 0))) return false;
  const view = new DataView(octets.buffer);
  for (let i = 0; i < octets.length / 4; i++) out[offset + i] = view.getUint32(i * 4, false);
  return true;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffff;
}

/** Packs readable flows of one family into a batch; fails on the first flow that does not fit. */
export function packFlows(family: FlowFamily, flows: Flow[]): Result<FlowBatch> {
  const stride = STRIDE[family];
  const half = family === 'ipv4' ? 1 : 4;
  const words = new Uint32Array(flows.length * stride);
  for (const [index, flow] of flows.entries()) {
    const at = index * stride;
    if (!addressWords(flow.src, family, words, at) || !addressWords(flow.dst, family, words, at + half)) {
      return { ok: false, error: `flow ${index}: ${flow.src} -> ${flow.dst} is not a pair of ${family} addresses` };
    }
    if (!Number.isInteger(flow.proto) || flow.proto < 0 || flow.proto > 0xff || !isPort(flow.sport) || !isPort(flow.dport)) {
      return { ok: false, error: `flow ${index}: proto must be 0-255 and ports 0-65535` };
    }
    words[at + 2 * half] = flow.proto;
    words[at + 2 * half + 1] = ((flow.sport << 16) | flow.dport) >>> 0;
  }
  return { ok: true, value: { family, count: flows.length, words } };
}
