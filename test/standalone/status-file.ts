/**
 * The status file `porter run --status FILE` writes: what the controller and the speaker would write
 * to the cluster (Service ingress, Eip status, BgpPeer per-node status, BgpConf status, Events).
 * Read loosely: the suite looks at a few fields and says which when one is missing.
 */
import { readFileSync } from 'node:fs';
import type { BgpConfStatus, EipStatus, NodePeerStatus } from '../../controller/api/types.ts';

export interface StatusEvent {
  kind?: string;
  key?: string;
  type?: string;
  reason?: string;
  message?: string;
}

export interface StatusFile {
  services?: Record<string, { ingress?: { ip?: string; hostname?: string }[] }>;
  eips?: Record<string, EipStatus>;
  bgpPeers?: Record<string, { nodesPeerStatus?: Record<string, NodePeerStatus> }>;
  bgpConf?: Record<string, BgpConfStatus> | BgpConfStatus;
  events?: StatusEvent[];
}

/** The file's content, or undefined while it does not exist or is not whole JSON yet. */
export function readStatusFile(file: string): StatusFile | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StatusFile;
  } catch {
    return undefined;
  }
}

/** The ingress addresses the status gives a Service (`namespace/name`). */
export function ingressOf(status: StatusFile | undefined, service: string): string[] {
  return (status?.services?.[service]?.ingress ?? []).flatMap((entry) => (entry.ip ? [entry.ip] : []));
}

/** One node's view of a BgpPeer's session. */
export function peerStatusOf(status: StatusFile | undefined, peer: string, node: string): NodePeerStatus | undefined {
  return status?.bgpPeers?.[peer]?.nodesPeerStatus?.[node];
}

/** Every address an Eip's status says is in use. */
export function usedAddresses(status: StatusFile | undefined): string[] {
  return Object.values(status?.eips ?? {}).flatMap((eip) => Object.keys(eip.used ?? {}));
}
