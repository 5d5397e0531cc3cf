/** Reading what the API already says about a Service's addresses and Porter's finalizer. */
import type { V1Service } from '@kubernetes/client-node';
import { FINALIZER } from '../api/types.ts';

/** The IPs in `status.loadBalancer.ingress`, in order. */
export function ingressAddresses(service: V1Service): string[] {
  return (service.status?.loadBalancer?.ingress ?? []).flatMap((entry) => (entry.ip ? [entry.ip] : []));
}

export function hasFinalizer(service: V1Service): boolean {
  return service.metadata?.finalizers?.includes(FINALIZER) ?? false;
}

export function isDeleting(service: V1Service): boolean {
  return service.metadata?.deletionTimestamp !== undefined && service.metadata.deletionTimestamp !== null;
}

export function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((address, index) => address === b[index]);
}
