/**
 * MetalLB's rule for two Services on one address: both carry the same sharing key, their ports
 * (protocol and number) do not collide, and traffic reaches them the same way. MetalLB compares
 * the backends of externalTrafficPolicy Local Services (same pod selector) as well; Porter checks
 * only that the policies match.
 */
import type { ServicePort, ServiceRequest } from './service-request.ts';

/** What sharing compares of a Service. */
export type SharingTerms = Pick<ServiceRequest, 'key' | 'sharingKey' | 'ports' | 'externalTrafficPolicy'>;

function portName(port: ServicePort): string {
  return `${port.protocol}/${port.port}`;
}

/** Why `a` may not share an address with `b`, or undefined when it may. */
export function sharingConflict(a: SharingTerms, b: SharingTerms): string | undefined {
  if (a.sharingKey === undefined) return `${b.key} holds it and ${a.key} has no sharing key`;
  if (b.sharingKey === undefined) return `${b.key} holds it and has no sharing key`;
  if (a.sharingKey !== b.sharingKey) return `${b.key} holds it with sharing key ${b.sharingKey}, not ${a.sharingKey}`;
  if (a.externalTrafficPolicy !== b.externalTrafficPolicy) {
    return `${b.key} holds it with externalTrafficPolicy ${b.externalTrafficPolicy}, not ${a.externalTrafficPolicy}`;
  }
  const taken = new Set(b.ports.map(portName));
  const clash = a.ports.map(portName).find((port) => taken.has(port));
  if (clash !== undefined) return `${b.key} holds it and also uses ${clash}`;
  return undefined;
}
