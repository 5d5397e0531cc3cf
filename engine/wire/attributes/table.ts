/** The path attribute descriptor table of docs/wire-model.md, by type code and by name. */
import { as4Path, asPath } from './as-path.ts';
import { communities, largeCommunities } from './communities.ts';
import type { AttributeDescriptor, KnownAttribute } from './descriptor.ts';
import { extendedCommunities } from './extended-communities.ts';
import { aggregator, as4Aggregator, atomicAggregate, clusterList, localPref, med, nextHop, origin, originatorId } from './fixed.ts';
import { mpReach, mpUnreach } from './mp-reach.ts';

const DESCRIPTORS = [
  origin,
  asPath,
  nextHop,
  med,
  localPref,
  atomicAggregate,
  aggregator,
  communities,
  originatorId,
  clusterList,
  mpReach,
  mpUnreach,
  extendedCommunities,
  as4Path,
  as4Aggregator,
  largeCommunities,
] as AttributeDescriptor[];

export const ATTRIBUTE_BY_CODE: ReadonlyMap<number, AttributeDescriptor> = new Map(DESCRIPTORS.map((d) => [d.code, d]));
export const ATTRIBUTE_BY_TYPE: ReadonlyMap<KnownAttribute['type'], AttributeDescriptor> = new Map(
  DESCRIPTORS.map((d) => [d.type, d]),
);

export const ATTRIBUTE_CODE = { nextHop: 3, mpReach: 14, mpUnreach: 15 } as const;
