/**
 * Several errors in one UPDATE: the strongest is reported, the first found among equals (RFC 7606
 * section 3h, and the order of checks in docs/wire-errors.md); then RFC 7606 section 5.2 makes an
 * UPDATE without reachable NLRI reset the session instead of withdrawing nothing.
 */
import { attribute, mpReachValue, mpUnreachValue, u32, update, v4 } from './bytes.ts';
import { escalated, type MalformedCase } from './case.ts';
import {
  announce,
  AS_PATH,
  attributeFlags,
  attributeLength,
  attributeOverrun,
  duplicateAttribute,
  invalidNetworkField,
  invalidOrigin,
  IPV6_NEXT_HOP,
  IPV6_NLRI,
  malformedMpReach,
  malformedMpUnreach,
  MP_REACH,
  NEXT_HOP,
  NLRI,
  ORIGIN,
  unrecognizedWellKnown,
} from './update-parts.ts';

const badOrigin = attribute(0x40, 1, [3]);
const shortOrigin = attribute(0x40, 1, [0, 0]);
const shortMed = attribute(0x80, 4, [0, 0, 100]);
const longAtomic = attribute(0x40, 6, [0]);
const shortAggregator = attribute(0xc0, 7, [...u32(65001), 192, 0, 2]);
const unknownWellKnown = attribute(0x40, 99, [1]);
const ipv6ReachWithIpv4NextHop = attribute(0x80, 14, mpReachValue(2, 1, [192, 0, 2, 1], IPV6_NLRI));
const ipv4UnreachTooLong = attribute(0x80, 15, mpUnreachValue(1, 1, [33, 198, 51, 100, 0, 0]));
const ipv6UnreachTooLong = attribute(0x80, 15, mpUnreachValue(2, 1, [129, ...new Array(17).fill(0x20)]));

const strongestCases: MalformedCase[] = [
  {
    name: 'treat-as-withdraw-beats-earlier-discard',
    context: {},
    bytes: announce([...longAtomic, ...shortMed]),
    error: attributeLength('treat-as-withdraw', shortMed),
  },
  {
    name: 'afi-safi-disable-beats-earlier-treat-as-withdraw',
    context: {},
    bytes: update({ attributes: [...badOrigin, ...AS_PATH, ...ipv6ReachWithIpv4NextHop] }),
    error: malformedMpReach('afi-safi-disable', ipv6ReachWithIpv4NextHop, 'ipv6-unicast'),
  },
  {
    name: 'session-reset-beats-earlier-afi-safi-disable',
    context: {},
    bytes: update({ attributes: [...ipv6ReachWithIpv4NextHop, ...ORIGIN, ...AS_PATH, ...unknownWellKnown] }),
    error: unrecognizedWellKnown(unknownWellKnown),
  },
  {
    name: 'nlri-field-reset-beats-attribute-errors',
    context: {},
    bytes: update({ attributes: [...shortOrigin, ...AS_PATH, ...NEXT_HOP, ...longAtomic], nlri: [...NLRI, 33, 198, 51, 100, 0, 0] }),
    error: invalidNetworkField(),
  },
  {
    name: 'treat-as-withdraw-beats-later-duplicate',
    context: {},
    bytes: update({ attributes: [...ORIGIN, ...attribute(0x40, 2, [2, 0]), ...NEXT_HOP, ...ORIGIN], nlri: NLRI }),
    error: { action: 'treat-as-withdraw', code: 3, subcode: 11, reason: 'malformed-as-path', data: '', attribute: 2 },
  },
];

const firstAmongEqualsCases: MalformedCase[] = [
  {
    name: 'first-of-two-treat-as-withdraw',
    context: {},
    bytes: update({ attributes: [...shortOrigin, ...AS_PATH, ...NEXT_HOP, ...shortMed], nlri: NLRI }),
    error: attributeLength('treat-as-withdraw', shortOrigin),
  },
  {
    name: 'first-of-two-treat-as-withdraw-in-wire-order',
    context: {},
    bytes: update({ attributes: [...shortMed, ...shortOrigin, ...AS_PATH, ...NEXT_HOP], nlri: NLRI }),
    error: attributeLength('treat-as-withdraw', shortMed),
  },
  {
    name: 'first-of-two-discards',
    context: {},
    bytes: announce([...shortAggregator, ...longAtomic]),
    error: attributeLength('attribute-discard', shortAggregator),
  },
  {
    name: 'first-of-discard-and-duplicate',
    context: {},
    bytes: announce([...longAtomic, ...ORIGIN]),
    error: attributeLength('attribute-discard', longAtomic),
  },
  {
    name: 'first-duplicate-before-discard',
    context: {},
    bytes: announce([...ORIGIN, ...longAtomic]),
    error: duplicateAttribute(1),
  },
  {
    name: 'first-of-two-afi-safi-disables',
    context: {},
    bytes: update({ attributes: [...ipv4UnreachTooLong, ...ipv6ReachWithIpv4NextHop, ...ORIGIN, ...AS_PATH] }),
    error: malformedMpUnreach('afi-safi-disable', ipv4UnreachTooLong, 'ipv4-unicast'),
  },
  {
    name: 'withdrawn-field-checked-before-attributes',
    context: {},
    bytes: update({ withdrawn: [33, 198, 51, 100, 0, 0], attributes: [...MP_REACH, ...ORIGIN, ...AS_PATH, ...unknownWellKnown] }),
    error: invalidNetworkField(),
  },
  {
    name: 'attributes-checked-before-nlri-field',
    context: {},
    bytes: update({ attributes: [...ORIGIN, ...AS_PATH, ...NEXT_HOP, ...unknownWellKnown], nlri: [24, 198] }),
    error: unrecognizedWellKnown(unknownWellKnown),
  },
  {
    name: 'attribute-error-found-before-missing-attribute',
    context: {},
    bytes: update({ attributes: [...AS_PATH, ...NEXT_HOP, ...shortMed], nlri: NLRI }),
    error: attributeLength('treat-as-withdraw', shortMed),
  },
  {
    name: 'attribute-overrun-found-before-missing-attribute',
    context: {},
    bytes: update({ attributes: [...ORIGIN, 0xc0, 8, 40, 0, 0], nlri: NLRI }),
    error: attributeOverrun(8),
  },
  {
    name: 'flags-checked-before-length',
    context: {},
    bytes: update({ attributes: [...attribute(0xc0, 1, [0, 0]), ...AS_PATH, ...NEXT_HOP], nlri: NLRI }),
    error: attributeFlags('treat-as-withdraw', attribute(0xc0, 1, [0, 0])),
  },
  {
    name: 'flags-error-outranks-discard-of-same-attribute',
    context: {},
    bytes: announce(attribute(0x00, 6, [0])),
    error: attributeFlags('treat-as-withdraw', attribute(0x00, 6, [0])),
  },
];

const noReachableNlriCases: MalformedCase[] = [
  {
    name: 'no-nlri-treat-as-withdraw-becomes-session-reset',
    context: {},
    bytes: update({ withdrawn: NLRI, attributes: [...badOrigin, ...AS_PATH] }),
    error: escalated(invalidOrigin(badOrigin)),
  },
  {
    name: 'no-nlri-lone-attribute-error-becomes-session-reset',
    context: {},
    bytes: update({ attributes: shortMed }),
    error: escalated(attributeLength('treat-as-withdraw', shortMed)),
  },
  {
    name: 'no-nlri-attribute-overrun-becomes-session-reset',
    context: {},
    bytes: update({ withdrawn: NLRI, attributes: [...ORIGIN, 0xc0] }),
    error: escalated(attributeOverrun()),
  },
  {
    name: 'no-nlri-mp-unreach-beside-origin-becomes-session-reset',
    context: {},
    bytes: update({ attributes: [...ipv6UnreachTooLong, ...ORIGIN] }),
    error: escalated(malformedMpUnreach('afi-safi-disable', ipv6UnreachTooLong, 'ipv6-unicast')),
  },
  {
    name: 'no-nlri-discard-stays-discard',
    context: {},
    bytes: update({ withdrawn: v4('203.0.113.0/24'), attributes: [...ORIGIN, ...AS_PATH, ...shortAggregator] }),
    error: attributeLength('attribute-discard', shortAggregator),
  },
  {
    name: 'mp-reach-is-reachable-nlri',
    context: {},
    bytes: update({ attributes: [...MP_REACH, ...badOrigin, ...AS_PATH] }),
    error: invalidOrigin(badOrigin),
  },
  {
    name: 'malformed-mp-reach-is-reachable-nlri',
    context: {},
    bytes: update({ attributes: [...ipv6ReachWithIpv4NextHop, ...ORIGIN, ...AS_PATH] }),
    error: malformedMpReach('afi-safi-disable', ipv6ReachWithIpv4NextHop, 'ipv6-unicast'),
  },
  {
    name: 'ipv4-mp-reach-is-reachable-nlri',
    context: {},
    bytes: update({
      attributes: [...attribute(0x80, 14, mpReachValue(1, 1, IPV6_NEXT_HOP, NLRI)), ...ORIGIN, ...AS_PATH, ...shortMed],
    }),
    error: attributeLength('treat-as-withdraw', shortMed),
  },
];

export const combinationCases: MalformedCase[] = [...strongestCases, ...firstAmongEqualsCases, ...noReachableNlriCases];
