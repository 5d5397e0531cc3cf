/**
 * The shape the API server guarantees for the core objects Porter reads, checked for objects that
 * come from manifest files instead: a Service whose `ports` is a string, say, is refused with its
 * field named rather than reaching the reconcilers. Only the fields Porter reads are checked; the
 * custom resources are checked field by field by `controller/api/validation.ts` where they are used,
 * so that an invalid one is reported in its own status.
 */
import type { Kind } from './types.ts';

type Shape = 'object' | 'list' | 'string' | 'integer' | 'boolean' | { list: Shape } | { fields: Record<string, Shape> } | { map: Shape };

const METADATA: Shape = {
  fields: { name: 'string', namespace: 'string', labels: { map: 'string' }, annotations: { map: 'string' }, finalizers: { list: 'string' } },
};

const SHAPES: Partial<Record<Kind, Record<string, Shape>>> = {
  Service: {
    metadata: METADATA,
    spec: {
      fields: {
        type: 'string',
        loadBalancerClass: 'string',
        loadBalancerIP: 'string',
        externalTrafficPolicy: 'string',
        ipFamilies: { list: 'string' },
        ipFamilyPolicy: 'string',
        selector: { map: 'string' },
        ports: { list: { fields: { name: 'string', protocol: 'string', port: 'integer' } } },
      },
    },
    status: { fields: { loadBalancer: { fields: { ingress: { list: { fields: { ip: 'string' } } } } } } },
  },
  EndpointSlice: {
    metadata: METADATA,
    addressType: 'string',
    endpoints: {
      list: { fields: { addresses: { list: 'string' }, nodeName: 'string', conditions: { fields: { ready: 'boolean', serving: 'boolean', terminating: 'boolean' } } } },
    },
  },
  Node: {
    metadata: METADATA,
    status: {
      fields: {
        addresses: { list: { fields: { type: 'string', address: 'string' } } },
        conditions: { list: { fields: { type: 'string', status: 'string' } } },
      },
    },
  },
  Namespace: { metadata: METADATA },
  Secret: { metadata: METADATA, data: { map: 'string' } },
};

/** The first field of a core object that does not have the API's shape, or undefined. */
export function coreShapeProblem(kind: Kind, object: Record<string, unknown>): string | undefined {
  const fields = SHAPES[kind];
  return fields === undefined ? undefined : problemIn(object, { fields }, '');
}

function problemIn(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof shape === 'string') {
    const fits =
      shape === 'object' ? isRecord(value)
      : shape === 'list' ? Array.isArray(value)
      : shape === 'integer' ? Number.isInteger(value)
      : typeof value === shape;
    return fits ? undefined : `${path}: must be ${article(shape)}, not ${JSON.stringify(value)}`;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return `${path}: must be a list, not ${JSON.stringify(value)}`;
    for (const [index, item] of value.entries()) {
      const problem = problemIn(item, shape.list, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (!isRecord(value)) return `${path}: must be an object, not ${JSON.stringify(value)}`;
  if ('map' in shape) {
    for (const [key, item] of Object.entries(value)) {
      const problem = problemIn(item, shape.map, `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(shape.fields)) {
    const problem = problemIn(value[key], inner, path === '' ? key : `${path}.${key}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function article(shape: string): string {
  return shape === 'integer' || shape === 'object' ? `an ${shape}` : `a ${shape}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
