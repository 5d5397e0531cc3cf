/** Eips and requests for the address manager's tests. */
import { API_VERSION, ANNOTATIONS, type Eip, type EipSpec } from '../api/types.ts';
import type { ServiceRequest } from './service-request.ts';

/** Options of a test Eip beside its spec. */
export interface EipOptions extends Partial<EipSpec> {
  isDefault?: boolean;
  /** creationTimestamp, RFC 3339. */
  created?: string;
}

/** An Eip named `name` over `address`. */
export function eip(name: string, address: string, options: EipOptions = {}): Eip {
  const { isDefault, created, ...spec } = options;
  return {
    apiVersion: API_VERSION,
    kind: 'Eip',
    metadata: {
      name,
      annotations: isDefault ? { [ANNOTATIONS.defaultEip]: 'true' } : undefined,
      creationTimestamp: (created ?? '2024-01-01T00:00:00Z') as unknown as Date,
    },
    spec: { address, ...spec },
  };
}

/** A request from Service `key` (`namespace/name`): IPv4 single stack, TCP/80, Cluster, unless told. */
export function request(key: string, fields: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    key,
    namespace: key.split('/')[0],
    families: [4],
    familyPolicy: 'SingleStack',
    pools: [],
    requested: [],
    ports: [{ protocol: 'TCP', port: 80 }],
    externalTrafficPolicy: 'Cluster',
    ...fields,
  };
}
