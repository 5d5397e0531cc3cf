/**
 * The subset of OpenAPI v3 that CustomResourceDefinition schemas use (apiextensions.k8s.io/v1
 * JSONSchemaProps), and small builders that keep the three schemas short and structural: every
 * node has a type, objects list their properties, maps and lists say what they hold.
 */

/** A CEL rule (`x-kubernetes-validations`); `self` is the value of the node the rule sits on. */
export interface CelRule {
  rule: string;
  message: string;
}

/** One node of a structural schema. */
export interface Schema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  format?: string;
  enum?: (string | number)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  items?: Schema;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
}

/** Adds a description to a node, keeping it first so the generated YAML reads top-down. */
export function described(description: string, schema: Schema): Schema {
  return { description, ...schema };
}

/** Adds CEL rules to a node. */
export function withRules(schema: Schema, ...rules: CelRule[]): Schema {
  return { ...schema, 'x-kubernetes-validations': [...(schema['x-kubernetes-validations'] ?? []), ...rules] };
}

export function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

export function string(limits: Pick<Schema, 'maxLength' | 'minLength' | 'pattern' | 'enum' | 'default' | 'format'> = {}): Schema {
  return { type: 'string', ...limits };
}

export function integer(minimum?: number, maximum?: number): Schema {
  const schema: Schema = { type: 'integer' };
  if (minimum !== undefined) schema.minimum = minimum;
  if (maximum !== undefined) schema.maximum = maximum;
  return schema;
}

export function boolean(): Schema {
  return { type: 'boolean' };
}

export function list(items: Schema, maxItems?: number): Schema {
  return maxItems === undefined ? { type: 'array', items } : { type: 'array', maxItems, items };
}

/** A map from strings to values of one schema. */
export function map(values: Schema): Schema {
  return { type: 'object', additionalProperties: values };
}
