/**
 * What a Service asks of the address manager, read once from its manifest so that allocation is
 * pure logic over plain values: families, the pools it names, the addresses it requests, and the
 * terms under which it may share an address.
 */
import type { V1Service } from '@kubernetes/client-node';
import { canonicalIp, ipFamily, type IpFamily, type Parsed } from '../api/address-range.ts';
import { ANNOTATIONS } from '../api/types.ts';

export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** One port of the Service, as address sharing compares them (MetalLB: protocol and port). */
export interface ServicePort {
  protocol: string;
  port: number;
}

/** A Service's address request. */
export interface ServiceRequest {
  /** `namespace/name`. */
  key: string;
  namespace: string;
  /** One address per family, in this order; the first is the primary family. */
  families: IpFamily[];
  /** SingleStack: one family; PreferDualStack: each family that has a pool; RequireDualStack: all or nothing. */
  familyPolicy: IpFamilyPolicy;
  /**
   * Eips named by the `eip.openelb.kubesphere.io/v1alpha2` annotation, in its order; empty: chosen
   * automatically. A comma-separated list names one pool per family for dual-stack Services.
   */
  pools: string[];
  /** Requested addresses, canonical, at most one per family. */
  requested: string[];
  /** Services with the same key may share an address (MetalLB's rule). */
  sharingKey?: string;
  ports: ServicePort[];
  externalTrafficPolicy: 'Cluster' | 'Local';
}

const FAMILY_NAMES: Record<string, IpFamily> = { IPv4: 4, IPv6: 6 };
const POLICIES: readonly string[] = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Reads a Service's address request; an error names what in the Service is wrong. */
export function serviceRequest(service: V1Service): Parsed<ServiceRequest> {
  const metadata = service.metadata ?? {};
  const spec = service.spec ?? {};
  const annotations = metadata.annotations ?? {};
  if (!metadata.name) return { ok: false, error: 'the Service has no name' };
  const namespace = metadata.namespace || 'default';

  // OpenELB reads the annotation first and falls back to spec.loadBalancerIP, deprecated since
  // Kubernetes 1.24 but still common.
  const requestedText = list(annotations[ANNOTATIONS.requestedIp] ?? spec.loadBalancerIP);
  const requested: string[] = [];
  for (const text of requestedText) {
    const canonical = canonicalIp(text);
    if (canonical === undefined) return { ok: false, error: `requested address ${text} is not an IP address` };
    requested.push(canonical);
  }
  const requestedFamilies = requested.map((address) => ipFamily(address) as IpFamily);
  if (unique(requestedFamilies).length !== requestedFamilies.length) {
    return { ok: false, error: `requested addresses ${requested.join(', ')} hold two of one family` };
  }

  const specFamilies: IpFamily[] = [];
  for (const name of spec.ipFamilies ?? []) {
    const family = FAMILY_NAMES[name];
    if (family === undefined) return { ok: false, error: `ipFamilies holds ${name}, neither IPv4 nor IPv6` };
    specFamilies.push(family);
  }
  const declaredPolicy = spec.ipFamilyPolicy;
  if (declaredPolicy !== undefined && !POLICIES.includes(declaredPolicy)) {
    return { ok: false, error: `ipFamilyPolicy ${declaredPolicy} is none of ${POLICIES.join(', ')}` };
  }
  // The API server defaults ipFamilyPolicy and ipFamilies on every Service it stores; only a
  // manifest read from a file lacks them, and then the requested addresses tell the families.
  let familyPolicy = declaredPolicy as IpFamilyPolicy | undefined;
  if (familyPolicy === undefined) {
    familyPolicy = specFamilies.length === 0 && requestedFamilies.length === 2 ? 'RequireDualStack' : 'SingleStack';
  }
  const families: IpFamily[] =
    familyPolicy === 'SingleStack'
      ? [specFamilies[0] ?? requestedFamilies[0] ?? 4]
      : unique<IpFamily>([...specFamilies, ...requestedFamilies, 4, 6]);
  const foreign = requested.find((address) => !families.includes(ipFamily(address) as IpFamily));
  if (foreign !== undefined) {
    return { ok: false, error: `requested address ${foreign} is not of the Service's family IPv${families[0]}` };
  }

  const sharingKey = annotations[ANNOTATIONS.sharingKey] || annotations[ANNOTATIONS.metallbSharingKey] || undefined;
  const ports = (spec.ports ?? []).map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.port }));
  return {
    ok: true,
    value: {
      key: `${namespace}/${metadata.name}`,
      namespace,
      families,
      familyPolicy,
      pools: list(annotations[ANNOTATIONS.eipPool]),
      requested,
      ...(sharingKey === undefined ? {} : { sharingKey }),
      ports,
      externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    },
  };
}
