/**
 * One attribute at a time: wrong Optional/Transitive flags on every known attribute (RFC 7606
 * section 3c), wrong lengths per attribute (RFC 7606 section 7, RFC 6793 section 6, RFC 8092
 * section 6), ORIGIN values, AS_PATH and AS4_PATH segments (RFC 7606 section 7.2).
 */
import { attribute, FLAG, u16, u32, update, type Bytes } from './bytes.ts';
import type { MalformedCase } from './case.ts';
import {
  around,
  announce,
  AS_PATH_2,
  attributeFlags,
  attributeLength,
  invalidOrigin,
  KNOWN_ATTRIBUTES,
  malformedAs4Path,
  malformedAsPath,
  NEXT_HOP,
  NLRI,
  ORIGIN,
} from './update-parts.ts';

const twoOctetAs = { fourOctetAs: false };

/** MP_REACH_NLRI and MP_UNREACH_NLRI flag errors reset the session (RFC 7606 sections 3j and 5.3). */
const flagCases: MalformedCase[] = KNOWN_ATTRIBUTES.flatMap(({ name, code, flags, value }) =>
  (
    [
      ['optional', flags ^ FLAG.optional],
      ['transitive', flags ^ FLAG.transitive],
    ] as const
  ).map(([bit, wrong]) => {
    const encoded = attribute(wrong, code, value);
    return {
      name: `${name}-${bit}-bit-flipped`,
      context: {},
      bytes: around(code, encoded),
      error: attributeFlags(code === 14 || code === 15 ? 'session-reset' : 'treat-as-withdraw', encoded),
    };
  }),
);

/** [case name, context, attribute as sent, action] for every length rule of the UPDATE table. */
const lengthRows: [string, object, Bytes, 'treat-as-withdraw' | 'attribute-discard'][] = [
  ['origin-of-0', {}, attribute(0x40, 1, []), 'treat-as-withdraw'],
  ['origin-of-2', {}, attribute(0x40, 1, [0, 0]), 'treat-as-withdraw'],
  ['next-hop-of-3', {}, attribute(0x40, 3, [192, 0, 2]), 'treat-as-withdraw'],
  ['next-hop-of-16', {}, attribute(0x40, 3, new Array(16).fill(1)), 'treat-as-withdraw'],
  ['med-of-3', {}, attribute(0x80, 4, [0, 0, 100]), 'treat-as-withdraw'],
  ['med-of-0', {}, attribute(0x80, 4, []), 'treat-as-withdraw'],
  ['local-pref-of-5', {}, attribute(0x40, 5, [0, 0, 0, 100, 0]), 'treat-as-withdraw'],
  ['atomic-aggregate-of-1', {}, attribute(0x40, 6, [0]), 'attribute-discard'],
  ['aggregator-of-6-four-octet-session', {}, attribute(0xc0, 7, [...u16(65001), 192, 0, 2, 1]), 'attribute-discard'],
  ['aggregator-of-7', {}, attribute(0xc0, 7, [...u32(65001), 192, 0, 2]), 'attribute-discard'],
  ['aggregator-of-0', {}, attribute(0xc0, 7, []), 'attribute-discard'],
  ['aggregator-of-8-two-octet-session', twoOctetAs, attribute(0xc0, 7, [...u32(65001), 192, 0, 2, 1]), 'attribute-discard'],
  ['communities-of-0', {}, attribute(0xc0, 8, []), 'treat-as-withdraw'],
  ['communities-of-5', {}, attribute(0xc0, 8, [0xfd, 0xe9, 0, 1, 0]), 'treat-as-withdraw'],
  ['communities-of-6-extended-length', {}, attribute(0xd0, 8, [0xfd, 0xe9, 0, 1, 0, 0]), 'treat-as-withdraw'],
  ['originator-id-of-3', {}, attribute(0x80, 9, [192, 0, 2]), 'treat-as-withdraw'],
  ['cluster-list-of-0', {}, attribute(0x80, 10, []), 'treat-as-withdraw'],
  ['cluster-list-of-6', {}, attribute(0x80, 10, [192, 0, 2, 10, 0, 0]), 'treat-as-withdraw'],
  ['extended-communities-of-0', {}, attribute(0xc0, 16, []), 'treat-as-withdraw'],
  ['extended-communities-of-7', {}, attribute(0xc0, 16, [0, 2, 0xfd, 0xe9, 0, 0, 0]), 'treat-as-withdraw'],
  ['as4-aggregator-of-6', twoOctetAs, attribute(0xc0, 18, [...u16(65001), 192, 0, 2, 1]), 'attribute-discard'],
  ['as4-aggregator-of-9', twoOctetAs, attribute(0xc0, 18, [...u32(65001), 192, 0, 2, 1, 0]), 'attribute-discard'],
  ['large-communities-of-0', {}, attribute(0xc0, 32, []), 'treat-as-withdraw'],
  ['large-communities-of-13', {}, attribute(0xc0, 32, [...u32(65001), ...u32(1), ...u32(2), 0]), 'treat-as-withdraw'],
];

const lengthCases: MalformedCase[] = lengthRows.map(([name, context, encoded, action]) => ({
  name,
  context,
  bytes: 'fourOctetAs' in context ? around2(encoded) : around(encoded[1], encoded),
  error: attributeLength(action, encoded),
}));

/** Like `around`, on a 2-octet AS session. */
function around2(encoded: Bytes): Bytes {
  return announce(encoded, AS_PATH_2);
}

const originValue = (value: number) => attribute(0x40, 1, [value]);

const originCases: MalformedCase[] = [3, 255].map((value) => ({
  name: `origin-value-${value}`,
  context: {},
  bytes: around(1, originValue(value)),
  error: invalidOrigin(originValue(value)),
}));

/** AS_PATH segment faults (RFC 7606 section 7.2), written with AS numbers of `size` octets. */
function segmentFaults(size: 2 | 4): [string, Bytes][] {
  const asn = size === 4 ? u32(65001) : u16(65001);
  return [
    ['unknown-segment-type', [5, 1, ...asn]],
    ['segment-type-0', [0, 1, ...asn]],
    ['zero-length-segment', [2, 0]],
    ['zero-length-segment-after-a-good-one', [2, 1, ...asn, 1, 0]],
    ['segment-overrun', [2, 2, ...asn]],
    ['single-octet-left-over', [2, 1, ...asn, 2]],
  ];
}

const asPathCases: MalformedCase[] = [
  ...segmentFaults(4).map(([fault, value]) => ({
    name: `as-path-${fault}-four-octet-session`,
    context: {},
    bytes: update({ attributes: [...ORIGIN, ...attribute(0x40, 2, value), ...NEXT_HOP], nlri: NLRI }),
    error: malformedAsPath(),
  })),
  ...segmentFaults(2).map(([fault, value]) => ({
    name: `as-path-${fault}-two-octet-session`,
    context: twoOctetAs,
    bytes: update({ attributes: [...ORIGIN, ...attribute(0x40, 2, value), ...NEXT_HOP], nlri: NLRI }),
    error: malformedAsPath(),
  })),
];

/** AS4_PATH always carries 4-octet AS numbers; malformed, it is discarded (RFC 6793 section 6). */
const as4PathCases: MalformedCase[] = [
  ...segmentFaults(4).map(([fault, value]) => ({
    name: `as4-path-${fault}`,
    context: twoOctetAs,
    bytes: around2(attribute(0xc0, 17, value)),
    error: malformedAs4Path(attribute(0xc0, 17, value)),
  })),
  {
    name: 'as4-path-empty',
    context: twoOctetAs,
    bytes: around2(attribute(0xc0, 17, [])),
    error: malformedAs4Path(attribute(0xc0, 17, [])),
  },
  {
    name: 'as4-path-empty-four-octet-session',
    context: {},
    bytes: announce(attribute(0xc0, 17, [])),
    error: malformedAs4Path(attribute(0xc0, 17, [])),
  },
];

export const attributeCases: MalformedCase[] = [
  ...flagCases,
  ...lengthCases,
  ...originCases,
  ...asPathCases,
  ...as4PathCases,
];
