/**
 * Which LoadBalancer Services Porter serves. Kubernetes' `spec.loadBalancerClass` (KEP-1959) names
 * the implementation meant to serve a Service; a Service without a class belongs to the cluster's
 * default implementation. OpenELB marks its Services with an annotation instead, which Porter
 * honours so that an OpenELB user's Services move over unchanged.
 */
import type { V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LOAD_BALANCER_CLASS, OPENELB_LB_VALUE } from './types.ts';

/** How this Porter installation claims Services. */
export interface OwnershipOptions {
  /** Porter is the cluster's default load balancer: it serves LoadBalancer Services without a class. */
  isDefault: boolean;
}

/**
 * Whether Porter allocates and announces this Service's address: a `LoadBalancer` Service with
 * Porter's class, or without a class and either OpenELB's annotation or Porter as the default.
 */
export function ownsService(service: V1Service, options: OwnershipOptions): boolean {
  if (service.spec?.type !== 'LoadBalancer') return false;
  const loadBalancerClass = service.spec.loadBalancerClass;
  // A class names exactly one implementation; every other one must leave the Service alone, whatever
  // its annotations say. The API server rejects an empty class, so "" reads as unset.
  if (loadBalancerClass) return loadBalancerClass === LOAD_BALANCER_CLASS;
  if (service.metadata?.annotations?.[ANNOTATIONS.loadBalancer] === OPENELB_LB_VALUE) return true;
  return options.isDefault;
}
