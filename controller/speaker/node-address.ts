/**
 * The node's own addresses, one per family, from `Node.status.addresses`: the next hop of the
 * VIPs it announces and the default router id. InternalIP comes first, as kubelet and kube-proxy
 * prefer it; a node with no InternalIP of a family falls back to its ExternalIP of that family.
 */
import type { V1Node } from '@kubernetes/client-node';
import { canonicalAddress, isIpv4 } from '../../engine/session/driver-config.ts';

/** At most one address per family, canonical text. */
export interface NodeAddresses {
  ipv4?: string;
  ipv6?: string;
}

const PREFERENCE = ['InternalIP', 'ExternalIP'] as const;

/** The first address of each family, InternalIP before ExternalIP, in the order the node lists them. */
export function nodeAddresses(node: V1Node): NodeAddresses {
  const found: NodeAddresses = {};
  const listed = node.status?.addresses ?? [];
  for (const type of PREFERENCE) {
    for (const entry of listed) {
      if (entry.type !== type) continue;
      const address = canonicalAddress(entry.address);
      if (address === undefined) continue;
      const family = isIpv4(address) ? 'ipv4' : 'ipv6';
      found[family] ??= address;
    }
  }
  return found;
}

/** The node's address in the family of `ip`, if it has one. */
export function addressFor(addresses: NodeAddresses, ip: string): string | undefined {
  return isIpv4(ip) ? addresses.ipv4 : addresses.ipv6;
}
