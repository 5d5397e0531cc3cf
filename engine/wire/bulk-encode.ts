/**
 * `encodeRoutes`: routes in columns to the fewest UPDATE messages, by the rules of
 * docs/wire-model.md, "Bulk encoding", which fix the octets exactly:
 *
 * 1. Withdrawals: ipv4-unicast in the Withdrawn Routes field, then ipv6-unicast in MP_UNREACH_NLRI.
 * 2. Announcements by attribute set, ipv4-unicast before ipv6-unicast; an ipv4-unicast route of a set
 *    with one IPv4 next hop goes in the NLRI field with NEXT_HOP, any other in MP_REACH_NLRI.
 * 3. MP_REACH_NLRI first, then the set's attributes (with NEXT_HOP) by type code, stable.
 * 4. Greedy packing: a prefix joins the current UPDATE while its exact length stays within the limit.
 *
 * The routes are first planned (grouped by a counting sort, then cut into messages), then written
 * into one buffer; no object is made per route.
 */
import { encodeAttribute } from './attributes/list.ts';
import { encodeNextHops } from './attributes/mp-reach.ts';
import { ATTRIBUTE_BY_TYPE, ATTRIBUTE_CODE } from './attributes/table.ts';
import { EXTENDED_LENGTH, OPTIONAL } from './attributes/descriptor.ts';
import type { ResolvedContext } from './context.ts';
import { WireEncodeError } from './errors.ts';
import { IPV4_UNICAST, IPV6_UNICAST, type UnicastFamily } from './families.ts';
import { parseIpv4Into } from './address.ts';
import { HEADER_LENGTH, MESSAGE_TYPE } from './header.ts';
import { type AttributeSet, COLUMN_FAMILY, type PathAttribute, type RouteColumns, WITHDRAW } from './types.ts';
import { ByteWriter } from './writer.ts';

const FAMILIES: UnicastFamily[] = [IPV4_UNICAST, IPV6_UNICAST];

/** Octets of an UPDATE without withdrawn routes, attributes or NLRI: header and the two lengths. */
const EMPTY_UPDATE = HEADER_LENGTH + 4;

/** Where the prefixes of a group travel. */
type Carrier = 'withdrawn-field' | 'mp-unreach' | 'nlri-field' | 'mp-reach';

/** What every UPDATE of one group shares. */
interface GroupTemplate {
  carrier: Carrier;
  family: UnicastFamily;
  withPathId: boolean;
  /** Attributes other than MP_REACH_NLRI/MP_UNREACH_NLRI, in order, encoded. */
  attributes: Uint8Array;
  /** MP attributes: the value octets before the prefixes (AFI, SAFI, and for MP_REACH the next hop and reserved octet). */
  mpFixed: Uint8Array;
}

/** Octets of an MP attribute header for a value of `length` octets: Extended Length past 255. */
function mpHeaderLength(length: number): number {
  return length > 255 ? 4 : 3;
}

/** The exact length of an UPDATE of this group whose prefixes take `prefixOctets`. */
function messageLength(template: GroupTemplate, prefixOctets: number): number {
  switch (template.carrier) {
    case 'withdrawn-field':
    case 'nlri-field':
      return EMPTY_UPDATE + template.attributes.length + prefixOctets;
    default: {
      const value = template.mpFixed.length + prefixOctets;
      return EMPTY_UPDATE + mpHeaderLength(value) + value + template.attributes.length;
    }
  }
}

function typeCode(attribute: PathAttribute): number {
  if (attribute.type === 'unknown') return attribute.code;
  const descriptor = ATTRIBUTE_BY_TYPE.get(attribute.type);
  if (descriptor === undefined) throw new WireEncodeError(`unknown attribute type ${JSON.stringify(attribute.type)}`);
  return descriptor.code;
}

/** A set's attributes, plus NEXT_HOP when given, sorted by type code (stable) and encoded. */
function encodeSetAttributes(set: AttributeSet, nextHop: string | undefined, context: ResolvedContext): Uint8Array {
  const attributes: PathAttribute[] = [...set.attributes];
  for (const attribute of attributes) {
    const code = typeCode(attribute);
    if (code === ATTRIBUTE_CODE.nextHop || code === ATTRIBUTE_CODE.mpReach || code === ATTRIBUTE_CODE.mpUnreach) {
      throw new WireEncodeError('an attribute set holds neither NEXT_HOP nor MP_REACH_NLRI nor MP_UNREACH_NLRI');
    }
  }
  if (nextHop !== undefined) attributes.push({ type: 'next-hop', value: nextHop });
  const sorted = attributes.map((attribute, index) => ({ attribute, index, code: typeCode(attribute) }));
  sorted.sort((a, b) => a.code - b.code || a.index - b.index);
  const writer = new ByteWriter(256);
  for (const { attribute } of sorted) encodeAttribute(attribute, writer, context);
  return writer.finish();
}

function isIpv4(text: string): boolean {
  return parseIpv4Into(text, new Uint8Array(4), 0);
}

function withdrawTemplate(family: UnicastFamily, context: ResolvedContext): GroupTemplate {
  const withPathId = context.addPath.has(family.name);
  if (family === IPV4_UNICAST) {
    return { carrier: 'withdrawn-field', family, withPathId, attributes: new Uint8Array(0), mpFixed: new Uint8Array(0) };
  }
  const fixed = new ByteWriter(3);
  fixed.u16(family.afi, 'AFI');
  fixed.u8(family.safi, 'SAFI');
  return { carrier: 'mp-unreach', family, withPathId, attributes: new Uint8Array(0), mpFixed: fixed.finish() };
}

function announceTemplate(set: AttributeSet, family: UnicastFamily, context: ResolvedContext): GroupTemplate {
  const withPathId = context.addPath.has(family.name);
  const nextHops = set.nextHops;
  if (!Array.isArray(nextHops) || nextHops.length === 0) throw new WireEncodeError('an attribute set without next hops');
  if (family === IPV4_UNICAST && nextHops.length === 1 && isIpv4(nextHops[0])) {
    const attributes = encodeSetAttributes(set, nextHops[0], context);
    return { carrier: 'nlri-field', family, withPathId, attributes, mpFixed: new Uint8Array(0) };
  }
  if (nextHops.some(isIpv4)) throw new WireEncodeError(`${family.name} routes cannot take the next hops ${nextHops.join(', ')}`);
  const fixed = new ByteWriter(40);
  fixed.u16(family.afi, 'AFI');
  fixed.u8(family.safi, 'SAFI');
  encodeNextHops(nextHops, family.name, fixed);
  fixed.u8(0, 'reserved');
  return { carrier: 'mp-reach', family, withPathId, attributes: encodeSetAttributes(set, undefined, context), mpFixed: fixed.finish() };
}

/** One UPDATE to write: its group and the routes `order[from, to)`. */
interface PlannedMessage {
  template: GroupTemplate;
  from: number;
  to: number;
  prefixOctets: number;
}

function checkColumns(routes: RouteColumns): void {
  const n = routes.count;
  if (
    !Number.isInteger(n) ||
    n < 0 ||
    routes.family.length < n ||
    routes.prefixLength.length < n ||
    routes.address.length < 16 * n ||
    routes.pathId.length < n ||
    routes.attributeSet.length < n
  ) {
    throw new WireEncodeError('route columns shorter than the route count');
  }
}

export function encodeRouteColumns(routes: RouteColumns, sets: AttributeSet[], context: ResolvedContext): Uint8Array {
  checkColumns(routes);
  const { count, family, prefixLength, address, pathId, attributeSet } = routes;

  // Group key: 0 and 1 withdraw ipv4 and ipv6; 2 + 2 * set + family announce.
  const groups = 2 + 2 * sets.length;
  const withdrawn = WITHDRAW;
  const ipv4 = COLUMN_FAMILY['ipv4-unicast'];
  const ipv6 = COLUMN_FAMILY['ipv6-unicast'];
  const keys = new Uint32Array(count);
  const starts = new Uint32Array(groups + 1);
  for (let i = 0; i < count; i++) {
    const code = family[i];
    if (code !== ipv4 && code !== ipv6) {
      throw new WireEncodeError(`route ${i}: family code ${code}`);
    }
    if (prefixLength[i] > FAMILIES[code].addressLength * 8) throw new WireEncodeError(`route ${i}: prefix length ${prefixLength[i]}`);
    const set = attributeSet[i];
    if (set !== withdrawn && set >= sets.length) throw new WireEncodeError(`route ${i}: attribute set ${set} does not exist`);
    const key = set === withdrawn ? code : 2 + 2 * set + code;
    keys[i] = key;
    starts[key + 1]++;
  }
  for (let k = 0; k < groups; k++) starts[k + 1] += starts[k];
  const order = new Uint32Array(count);
  const fill = starts.slice(0, groups);
  for (let i = 0; i < count; i++) order[fill[keys[i]]++] = i;

  // Cut each group into messages, greedily.
  const plan: PlannedMessage[] = [];
  let total = 0;
  for (let key = 0; key < groups; key++) {
    const from = starts[key];
    const to = starts[key + 1];
    if (from === to) continue;
    const familyOfGroup = FAMILIES[key & 1];
    const template = key < 2 ? withdrawTemplate(familyOfGroup, context) : announceTemplate(sets[(key - 2) >> 1], familyOfGroup, context);
    const pathIdOctets = template.withPathId ? 4 : 0;
    let message: PlannedMessage = { template, from, to: from, prefixOctets: 0 };
    for (let at = from; at < to; at++) {
      const size = pathIdOctets + 1 + ((prefixLength[order[at]] + 7) >> 3);
      if (message.to > message.from && messageLength(template, message.prefixOctets + size) > context.maxMessageLength) {
        plan.push(message);
        total += messageLength(template, message.prefixOctets);
        message = { template, from: at, to: at, prefixOctets: 0 };
      }
      if (messageLength(template, message.prefixOctets + size) > context.maxMessageLength) {
        throw new WireEncodeError(`route ${order[at]} does not fit in an UPDATE of ${context.maxMessageLength} octets`);
      }
      message.to = at + 1;
      message.prefixOctets += size;
    }
    plan.push(message);
    total += messageLength(template, message.prefixOctets);
  }

  // Write the messages.
  const out = new Uint8Array(total);
  let at = 0;
  const u16 = (value: number) => {
    out[at++] = value >>> 8;
    out[at++] = value & 0xff;
  };
  const writePrefixes = (message: PlannedMessage) => {
    for (let k = message.from; k < message.to; k++) {
      const row = order[k];
      if (message.template.withPathId) {
        const id = pathId[row];
        out[at++] = id >>> 24;
        out[at++] = (id >>> 16) & 0xff;
        out[at++] = (id >>> 8) & 0xff;
        out[at++] = id & 0xff;
      }
      const length = prefixLength[row];
      out[at++] = length;
      const base = 16 * row;
      for (let octet = 0, octets = (length + 7) >> 3; octet < octets; octet++) out[at++] = address[base + octet];
    }
  };
  const writeMpAttribute = (message: PlannedMessage, code: number) => {
    const template = message.template;
    const value = template.mpFixed.length + message.prefixOctets;
    if (value > 255) {
      out[at++] = OPTIONAL | EXTENDED_LENGTH;
      out[at++] = code;
      u16(value);
    } else {
      out[at++] = OPTIONAL;
      out[at++] = code;
      out[at++] = value;
    }
    out.set(template.mpFixed, at);
    at += template.mpFixed.length;
    writePrefixes(message);
  };
  for (const message of plan) {
    const template = message.template;
    const length = messageLength(template, message.prefixOctets);
    out.fill(0xff, at, at + 16);
    at += 16;
    u16(length);
    out[at++] = MESSAGE_TYPE.update;
    switch (template.carrier) {
      case 'withdrawn-field':
        u16(message.prefixOctets);
        writePrefixes(message);
        u16(0);
        break;
      case 'mp-unreach':
        u16(0);
        u16(length - EMPTY_UPDATE);
        writeMpAttribute(message, ATTRIBUTE_CODE.mpUnreach);
        break;
      case 'nlri-field':
        u16(0);
        u16(template.attributes.length);
        out.set(template.attributes, at);
        at += template.attributes.length;
        writePrefixes(message);
        break;
      case 'mp-reach':
        u16(0);
        u16(length - EMPTY_UPDATE);
        writeMpAttribute(message, ATTRIBUTE_CODE.mpReach);
        out.set(template.attributes, at);
        at += template.attributes.length;
        break;
    }
  }
  return out;
}
