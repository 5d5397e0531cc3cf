/**
 * The route sets the wire benchmark encodes and decodes: host routes as `RouteColumns`, spread over
 * realistic attribute sets. Prefixes come from 10.0.0.0/8 (RFC 1918: a million host routes do not fit
 * in the IPv4 documentation ranges) and 2001:db8::/32 (RFC 3849), next hops from the benchmarking
 * ranges 198.18.0.0/15 (RFC 2544) and 2001:2::/48 (RFC 5180).
 */
import { COLUMN_FAMILY, type AttributeSet, type PathAttribute, type RouteColumns } from '../engine/wire/types.ts';

export type BenchFamily = 'ipv4-unicast' | 'ipv6-unicast';

export interface RouteSetCase {
  /** Short label for tables, e.g. "IPv4 1M /32, 100 sets". */
  name: string;
  family: BenchFamily;
  routeCount: number;
  setCount: number;
}

const ROUTE_COUNTS: Record<BenchFamily, { full: number; quick: number }> = {
  'ipv4-unicast': { full: 1_000_000, quick: 10_000 },
  'ipv6-unicast': { full: 100_000, quick: 2_000 },
};

const SET_COUNTS = { full: [1, 100, 10_000], quick: [1, 100, 1_000] };

/** Every case of the benchmark: each family with each number of attribute sets. */
export function routeSetCases(quick: boolean): RouteSetCase[] {
  const size = quick ? 'quick' : 'full';
  const cases: RouteSetCase[] = [];
  for (const family of ['ipv4-unicast', 'ipv6-unicast'] as const) {
    const routeCount = ROUTE_COUNTS[family][size];
    for (const setCount of SET_COUNTS[size]) {
      const label = family === 'ipv4-unicast' ? 'IPv4' : 'IPv6';
      const hostLength = family === 'ipv4-unicast' ? 32 : 128;
      const sets = setCount === 1 ? '1 set' : `${count(setCount)} sets`;
      cases.push({ name: `${label} ${count(routeCount)} /${hostLength}, ${sets}`, family, routeCount, setCount });
    }
  }
  return cases;
}

/**
 * Route i is a host route in attribute set `i % setCount`: sets interleave, as routes learnt from many
 * sources do, so the encoder has to group them rather than find them already in order.
 */
export function buildRouteColumns({ family, routeCount, setCount }: RouteSetCase): RouteColumns {
  const ipv4 = family === 'ipv4-unicast';
  const address = new Uint8Array(16 * routeCount);
  const addresses = new DataView(address.buffer);
  const attributeSet = new Uint32Array(routeCount);
  for (let i = 0; i < routeCount; i++) {
    // IPv4 10.0.0.0 + i in the first 4 octets; IPv6 2001:db8:: + i in the last 4.
    if (ipv4) addresses.setUint32(16 * i, 0x0a000000 + i);
    else {
      addresses.setUint32(16 * i, 0x20010db8);
      addresses.setUint32(16 * i + 12, i);
    }
    attributeSet[i] = i % setCount;
  }
  return {
    count: routeCount,
    family: new Uint8Array(routeCount).fill(COLUMN_FAMILY[family]),
    prefixLength: new Uint8Array(routeCount).fill(ipv4 ? 32 : 128),
    address,
    pathId: new Uint32Array(routeCount),
    attributeSet,
  };
}

/**
 * The case's attribute sets. Each `variant` gives sets of the same shape and encoded size with other
 * MED values, so that a timed run never meets sets an earlier run has seen: a codec that keeps work
 * by its input (parsed sets, encoded attributes) pays for it in every run, as it would for new routes.
 */
export function buildAttributeSets({ family, setCount }: RouteSetCase, variant: number): AttributeSet[] {
  return Array.from({ length: setCount }, (_, k) => attributeSetFor(k, family === 'ipv4-unicast', variant));
}

/**
 * Set k: what a speaker announces for a service. Sets differ by MED, communities, large community,
 * AS_PATH (2 to 4 ASNs, one of them 4-octet) and next hop.
 */
function attributeSetFor(k: number, ipv4: boolean, variant: number): AttributeSet {
  const host = k + 1;
  const nextHop = ipv4 ? `198.18.${host >>> 8}.${host & 0xff}` : `2001:2::${host.toString(16)}`;
  const attributes: PathAttribute[] = [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', segments: [{ type: 'sequence', asns: [65001, 4_200_000_000 + k, 64512 + (k % 100), 65002].slice(0, 2 + (k % 3)) }] },
    { type: 'med', value: (k + variant * 0x10000) >>> 0 },
    { type: 'communities', values: ['65001:100', `65001:${k & 0xffff}`] },
    { type: 'large-communities', values: [`4200000000:1:${k}`] },
  ];
  return { nextHops: [nextHop], attributes };
}

function count(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}
