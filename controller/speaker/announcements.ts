/**
 * What one node announces: a host route for every load balancer address of the Services Porter
 * owns, while the node is eligible for at least one Service behind that address, with the node's
 * own address of the route's family as next hop. Every eligible node announces the same routes,
 * so the routers spread traffic over them by ECMP.
 *
 * Under `externalTrafficPolicy: Local` a node with more of the Service's pods should take more of
 * its traffic. The route then carries a link bandwidth extended community
 * (draft-ietf-idr-link-bandwidth) of 1 Gbit/s (125,000,000 bytes per second) per ready endpoint
 * on the node; routers that weight ECMP by link bandwidth (FRR `bgp bestpath bandwidth`, Junos
 * `multipath` with link-bandwidth, Arista/Cisco weighted ECMP) then split in proportion to the
 * endpoint counts, and others see plain ECMP. Only the ratio matters; the unit is picked so FRR,
 * which shows Mbit/s, reads whole numbers. The community is written in its transitive form (type
 * 0x00), which FRR and most vendors use, because a non-transitive one is not sent to an eBGP
 * neighbour (RFC 4360 section 2), and the router is nearly always one.
 */
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import type { RouteConfig } from '../../engine/speaker/config.ts';
import { canonicalAddress, isIpv4 } from '../../engine/session/driver-config.ts';
import type { PathAttribute } from '../../engine/wire/types.ts';
import { objectKey, type ObjectKey } from '../runtime/types.ts';
import { isLocalPolicy, nodeEligibility } from './eligibility.ts';
import { addressFor, type NodeAddresses } from './node-address.ts';

/** Link bandwidth per ready endpoint: 1 Gbit/s, in bytes per second as the community carries it. */
export const BYTES_PER_SECOND_PER_ENDPOINT = 125_000_000;

/** RFC 6793 section 9: the 2-octet stand-in for a 4-octet AS, where only 2 octets fit. */
export const AS_TRANS = 23456;

/** What one eligible Service adds to the route of one of its addresses. */
export interface Contribution {
  service: ObjectKey;
  /** Under Local policy: its ready endpoints on the node weigh the route. */
  local: boolean;
  endpoints: number;
}

/** The Service's load balancer addresses, canonical, each once; host names are not routed. */
export function ingressAddresses(service: V1Service): string[] {
  const found = new Set<string>();
  for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
    const address = ingress.ip === undefined ? undefined : canonicalAddress(ingress.ip);
    if (address !== undefined) found.add(address);
  }
  return [...found];
}

/**
 * The Service's part in this node's routes, by address: nothing when the node is not eligible
 * for it. Ownership is the caller's to decide.
 */
export function serviceContributions(
  node: V1Node,
  service: V1Service,
  slices: readonly V1EndpointSlice[],
): Map<string, Contribution> {
  const result = new Map<string, Contribution>();
  const addresses = ingressAddresses(service);
  if (addresses.length === 0) return result;
  const eligibility = nodeEligibility(node, service, slices);
  if (!eligibility.eligible) return result;
  const contribution: Contribution = {
    service: objectKey(service.metadata),
    local: isLocalPolicy(service),
    endpoints: eligibility.endpoints,
  };
  for (const address of addresses) result.set(address, contribution);
  return result;
}

/** The host route of an address: `/32` or `/128`. */
export function hostPrefix(address: string): string {
  return `${address}/${isIpv4(address) ? 32 : 128}`;
}

/**
 * The route of one address from the Services that share it: undefined when none is eligible
 * here or the node has no address of its family. Link bandwidth sums the endpoints of the Local
 * Services; one Cluster Service among them sends traffic to every node alike, so then there is none.
 */
export function vipRoute(
  address: string,
  contributions: readonly Contribution[],
  nodeAddresses: NodeAddresses,
  asn: number,
): RouteConfig | undefined {
  if (contributions.length === 0) return undefined;
  const nextHop = addressFor(nodeAddresses, address);
  if (nextHop === undefined) return undefined;
  const route: RouteConfig = { prefix: hostPrefix(address), nextHop };
  if (contributions.every((contribution) => contribution.local)) {
    const endpoints = contributions.reduce((sum, contribution) => sum + contribution.endpoints, 0);
    route.attributes = [linkBandwidth(endpoints, asn)];
  }
  return route;
}

/** The link bandwidth community for `endpoints` ready endpoints (its AS field holds 2 octets). */
export function linkBandwidth(endpoints: number, asn: number): PathAttribute {
  return {
    type: 'extended-communities',
    values: [
      {
        type: 'link-bandwidth',
        transitive: true,
        asn: asn > 0xffff ? AS_TRANS : asn,
        bandwidth: endpoints * BYTES_PER_SECOND_PER_ENDPOINT,
      },
    ],
  };
}

export interface DesiredRoutesInput {
  node: V1Node;
  addresses: NodeAddresses;
  services: readonly V1Service[];
  /** The EndpointSlices of each Service, by its `namespace/name`. */
  slicesByService: ReadonlyMap<ObjectKey, readonly V1EndpointSlice[]>;
  /** Porter announces this Service (its class, annotation, default-ness). */
  owns: (service: V1Service) => boolean;
  /** Our AS, written in the link bandwidth community. */
  asn: number;
}

/** Every route the node should announce, by prefix: the whole table at once, as a specification. */
export function desiredRoutes(input: DesiredRoutesInput): Map<string, RouteConfig> {
  const byAddress = new Map<string, Contribution[]>();
  for (const service of input.services) {
    if (!input.owns(service)) continue;
    const slices = input.slicesByService.get(objectKey(service.metadata)) ?? [];
    for (const [address, contribution] of serviceContributions(input.node, service, slices)) {
      const list = byAddress.get(address);
      if (list === undefined) byAddress.set(address, [contribution]);
      else list.push(contribution);
    }
  }
  const routes = new Map<string, RouteConfig>();
  for (const [address, contributions] of byAddress) {
    const route = vipRoute(address, contributions, input.addresses, input.asn);
    if (route !== undefined) routes.set(route.prefix, route);
  }
  return routes;
}
