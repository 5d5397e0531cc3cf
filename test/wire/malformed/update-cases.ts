/**
 * UPDATE structure: length fields, Withdrawn Routes and NLRI fields (RFC 7606 sections 3b, 3i, 5.3),
 * attribute overruns (section 4), duplicates (section 3g), unrecognized well-known and missing
 * attributes (section 3d), MP_REACH_NLRI/MP_UNREACH_NLRI (RFC 4760 section 7, RFC 7606 section 7.11).
 */
import { attribute, ipv4, mpReachValue, mpUnreachValue, update, withPathId, type Bytes } from './bytes.ts';
import type { MalformedCase } from './case.ts';
import {
  announce,
  announceMp,
  AS_PATH,
  attributeLength,
  attributeOverrun,
  duplicateAttribute,
  duplicateMpAttribute,
  invalidNetworkField,
  invalidOrigin,
  IPV6_NEXT_HOP,
  IPV6_NLRI,
  malformedAttributeList,
  malformedMpReach,
  malformedMpUnreach,
  missingWellKnown,
  MP_REACH,
  MP_UNREACH,
  NEXT_HOP,
  NLRI,
  ORIGIN,
  unrecognizedWellKnown,
} from './update-parts.ts';

const MANDATORY = [...ORIGIN, ...AS_PATH, ...NEXT_HOP];

const fieldCases: MalformedCase[] = [
  {
    name: 'withdrawn-length-overruns-message',
    context: {},
    bytes: update({ withdrawn: NLRI, withdrawnLength: 40 }),
    error: malformedAttributeList(),
  },
  {
    name: 'attribute-length-overruns-message',
    context: {},
    bytes: update({ attributes: MANDATORY, attributesLength: MANDATORY.length + 10 }),
    error: malformedAttributeList(),
  },
  {
    name: 'attribute-length-overruns-message-by-one',
    context: {},
    bytes: update({ withdrawn: NLRI, attributes: MANDATORY, attributesLength: MANDATORY.length + 1 }),
    error: malformedAttributeList(),
  },
  { name: 'withdrawn-prefix-length-33', context: {}, bytes: update({ withdrawn: [33, 198, 51, 100, 0, 0] }), error: invalidNetworkField() },
  { name: 'withdrawn-prefix-overrun', context: {}, bytes: update({ withdrawn: [24, 198, 51] }), error: invalidNetworkField() },
  {
    name: 'withdrawn-path-id-truncated',
    context: { addPath: ['ipv4-unicast'] },
    bytes: update({ withdrawn: [...withPathId(1, NLRI), 0, 0, 0] }),
    error: invalidNetworkField(),
  },
  { name: 'nlri-prefix-length-33', context: {}, bytes: update({ attributes: MANDATORY, nlri: [33, 198, 51, 100, 0, 0] }), error: invalidNetworkField() },
  { name: 'nlri-prefix-overrun', context: {}, bytes: update({ attributes: MANDATORY, nlri: [...NLRI, 24, 198, 51] }), error: invalidNetworkField() },
  {
    name: 'nlri-path-id-truncated',
    context: { addPath: ['ipv4-unicast'] },
    bytes: update({ attributes: MANDATORY, nlri: [0, 0, 1] }),
    error: invalidNetworkField(),
  },
  {
    name: 'nlri-prefix-length-33-after-path-id',
    context: { addPath: ['ipv4-unicast'] },
    bytes: update({ attributes: MANDATORY, nlri: withPathId(7, [33, 198, 51, 100, 0, 0]) }),
    error: invalidNetworkField(),
  },
];

const overrunCases: MalformedCase[] = [
  { name: 'attribute-header-overrun-flags-only', context: {}, bytes: announce([0xc0]), error: attributeOverrun() },
  { name: 'attribute-header-overrun-no-length', context: {}, bytes: announce([0xc0, 8]), error: attributeOverrun(8) },
  {
    name: 'attribute-header-overrun-extended-length',
    context: {},
    bytes: announce([0xd0, 8, 0]),
    error: attributeOverrun(8),
  },
  { name: 'attribute-value-overrun', context: {}, bytes: announce([0xc0, 8, 8, 0xfd, 0xe9, 0, 1]), error: attributeOverrun(8) },
  {
    name: 'attribute-value-overrun-extended-length',
    context: {},
    bytes: announce([0xd0, 8, 0x01, 0x00, 0xfd, 0xe9, 0, 1]),
    error: attributeOverrun(8),
  },
];

const unknownWellKnown = attribute(0x40, 99, [1, 2]);
const unknownWellKnownExtended = attribute(0x50, 200, [5]);
const unknownOptional = attribute(0xc0, 99, [7]);

const duplicateCases: MalformedCase[] = [
  {
    name: 'duplicate-origin',
    context: {},
    bytes: announce(attribute(0x40, 1, [1])),
    error: duplicateAttribute(1),
  },
  {
    name: 'duplicate-unknown-optional-attribute',
    context: {},
    bytes: announce([...unknownOptional, ...unknownOptional]),
    error: duplicateAttribute(99),
  },
  {
    name: 'duplicate-dropped-unread-despite-bad-length',
    context: {},
    bytes: announce(attribute(0x40, 1, [0, 0])),
    error: duplicateAttribute(1),
  },
  {
    name: 'duplicate-dropped-unread-despite-bad-flags',
    context: {},
    bytes: announce(attribute(0xc0, 3, ipv4('192.0.2.2'))),
    error: duplicateAttribute(3),
  },
  {
    name: 'duplicate-after-malformed-first',
    context: {},
    bytes: update({ attributes: [...attribute(0x40, 1, [3]), ...AS_PATH, ...NEXT_HOP, ...ORIGIN], nlri: NLRI }),
    error: invalidOrigin(attribute(0x40, 1, [3])),
  },
  {
    name: 'duplicate-after-discarded-first',
    context: {},
    bytes: announce([...attribute(0x40, 6, [0]), ...attribute(0x40, 6, [])]),
    error: attributeLength('attribute-discard', attribute(0x40, 6, [0])),
  },
  { name: 'duplicate-mp-reach', context: {}, bytes: announceMp(MP_REACH, MP_REACH), error: duplicateMpAttribute(14) },
  { name: 'duplicate-mp-unreach', context: {}, bytes: update({ attributes: [...MP_UNREACH, ...MP_UNREACH] }), error: duplicateMpAttribute(15) },
];

const unrecognizedCases: MalformedCase[] = [
  { name: 'unrecognized-well-known-attribute', context: {}, bytes: announce(unknownWellKnown), error: unrecognizedWellKnown(unknownWellKnown) },
  {
    name: 'unrecognized-well-known-attribute-extended-length',
    context: {},
    bytes: announce(unknownWellKnownExtended),
    error: unrecognizedWellKnown(unknownWellKnownExtended),
  },
  {
    name: 'unrecognized-well-known-attribute-code-0',
    context: {},
    bytes: announce(attribute(0x40, 0, [])),
    error: unrecognizedWellKnown(attribute(0x40, 0, [])),
  },
];

const IPV4_MP_REACH = attribute(0x80, 14, mpReachValue(1, 1, ipv4('192.0.2.1'), NLRI));

const missingCases: MalformedCase[] = [
  { name: 'missing-origin', context: {}, bytes: update({ attributes: [...AS_PATH, ...NEXT_HOP], nlri: NLRI }), error: missingWellKnown(1) },
  { name: 'missing-as-path', context: {}, bytes: update({ attributes: [...ORIGIN, ...NEXT_HOP], nlri: NLRI }), error: missingWellKnown(2) },
  { name: 'missing-next-hop', context: {}, bytes: update({ attributes: [...ORIGIN, ...AS_PATH], nlri: NLRI }), error: missingWellKnown(3) },
  { name: 'missing-every-attribute', context: {}, bytes: update({ nlri: NLRI }), error: missingWellKnown(1) },
  { name: 'missing-origin-with-only-mp-reach', context: {}, bytes: update({ attributes: [...MP_REACH, ...AS_PATH] }), error: missingWellKnown(1) },
  { name: 'missing-as-path-with-only-mp-reach', context: {}, bytes: update({ attributes: [...MP_REACH, ...ORIGIN] }), error: missingWellKnown(2) },
  { name: 'missing-origin-and-as-path-with-only-mp-reach', context: {}, bytes: update({ attributes: MP_REACH }), error: missingWellKnown(1) },
  {
    name: 'missing-origin-with-ipv4-mp-reach',
    context: {},
    bytes: update({ attributes: [...IPV4_MP_REACH, ...AS_PATH] }),
    error: missingWellKnown(1),
  },
  {
    name: 'missing-origin-with-empty-mp-reach',
    context: {},
    bytes: update({ attributes: [...attribute(0x80, 14, mpReachValue(2, 1, IPV6_NEXT_HOP, [])), ...AS_PATH] }),
    error: missingWellKnown(1),
  },
];

/** MP_REACH_NLRI [value, family it disables] that RFC 7606 section 7.11 and RFC 4760 section 7 reject. */
const mpReachRows: [string, object, Bytes, string | undefined][] = [
  ['mp-reach-of-0', {}, [], undefined],
  ['mp-reach-of-3', {}, [0, 2, 1], undefined],
  ['mp-reach-ipv4-next-hop-of-5', {}, mpReachValue(1, 1, [192, 0, 2, 1, 0], NLRI), 'ipv4-unicast'],
  ['mp-reach-ipv4-next-hop-of-0', {}, mpReachValue(1, 1, [], NLRI), 'ipv4-unicast'],
  ['mp-reach-ipv6-next-hop-of-4', {}, mpReachValue(2, 1, ipv4('192.0.2.1'), IPV6_NLRI), 'ipv6-unicast'],
  ['mp-reach-ipv6-next-hop-of-24', {}, mpReachValue(2, 1, [...IPV6_NEXT_HOP, 0, 0, 0, 0, 0, 0, 0, 0], IPV6_NLRI), 'ipv6-unicast'],
  ['mp-reach-ipv6-next-hop-overrun', {}, [0, 2, 1, 32, ...IPV6_NEXT_HOP], 'ipv6-unicast'],
  ['mp-reach-ipv6-reserved-octet-missing', {}, mpReachValue(2, 1, IPV6_NEXT_HOP, [], { reserved: false }), 'ipv6-unicast'],
  ['mp-reach-vpn-next-hop-overrun', {}, [0, 1, 128, 40, ...new Array(12).fill(0)], 'ipv4-vpn'],
  ['mp-reach-unnamed-family-reserved-octet-missing', {}, mpReachValue(1, 5, [192, 0, 2, 1], [], { reserved: false }), '1/5'],
  ['mp-reach-ipv6-prefix-length-129', {}, mpReachValue(2, 1, IPV6_NEXT_HOP, [129, ...new Array(17).fill(0x20)]), 'ipv6-unicast'],
  ['mp-reach-ipv6-prefix-overrun', {}, mpReachValue(2, 1, IPV6_NEXT_HOP, [...IPV6_NLRI, 64, 0x20, 0x01, 0x0d, 0xb8]), 'ipv6-unicast'],
  ['mp-reach-ipv4-prefix-length-33', {}, mpReachValue(1, 1, ipv4('192.0.2.1'), [33, 198, 51, 100, 0, 0]), 'ipv4-unicast'],
  [
    'mp-reach-ipv6-path-id-truncated',
    { addPath: ['ipv6-unicast'] },
    mpReachValue(2, 1, IPV6_NEXT_HOP, [...withPathId(1, IPV6_NLRI), 0, 0, 2]),
    'ipv6-unicast',
  ],
];

const mpReachCases: MalformedCase[] = mpReachRows.map(([name, context, value, family]) => {
  const encoded = attribute(0x80, 14, value);
  return {
    name,
    context,
    bytes: announceMp(encoded),
    error: malformedMpReach(family === undefined ? 'session-reset' : 'afi-safi-disable', encoded, family),
  };
});

/** MP_UNREACH_NLRI alone in its UPDATE, so RFC 7606 section 5.2 leaves the action as it is. */
const mpUnreachRows: [string, object, Bytes, string | undefined][] = [
  ['mp-unreach-of-0', {}, [], undefined],
  ['mp-unreach-of-2', {}, [0, 2], undefined],
  ['mp-unreach-ipv6-prefix-length-129', {}, mpUnreachValue(2, 1, [129, ...new Array(17).fill(0x20)]), 'ipv6-unicast'],
  ['mp-unreach-ipv6-prefix-overrun', {}, mpUnreachValue(2, 1, [...IPV6_NLRI, 48, 0x20, 0x01]), 'ipv6-unicast'],
  ['mp-unreach-ipv4-prefix-length-33', {}, mpUnreachValue(1, 1, [33, 198, 51, 100, 0, 0]), 'ipv4-unicast'],
  ['mp-unreach-ipv6-path-id-truncated', { addPath: ['ipv6-unicast'] }, mpUnreachValue(2, 1, [0, 0, 0]), 'ipv6-unicast'],
];

const mpUnreachCases: MalformedCase[] = mpUnreachRows.map(([name, context, value, family]) => {
  const encoded = attribute(0x80, 15, value);
  return {
    name,
    context,
    bytes: update({ attributes: encoded }),
    error: malformedMpUnreach(family === undefined ? 'session-reset' : 'afi-safi-disable', encoded, family),
  };
});

export const updateCases: MalformedCase[] = [
  ...fieldCases,
  ...overrunCases,
  ...duplicateCases,
  ...unrecognizedCases,
  ...missingCases,
  ...mpReachCases,
  ...mpUnreachCases,
];

