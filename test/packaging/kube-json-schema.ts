/**
 * JSON Schemas for kubeconform, made from the Kubernetes API's own OpenAPI v2 document and from
 * CustomResourceDefinitions, the way openapi2jsonschema (kubeconform's companion) makes them:
 * - one standalone file per kind and version, its references kept as `#/definitions/...` inside
 *   the file (the API's types are recursive, so they cannot all be inlined);
 * - strict: an object that lists its `properties` admits no others (`additionalProperties: false`),
 *   which catches a misspelt or misplaced field, as the API server's strict field validation does;
 * - an optional field may be `null` (the API server reads a null as absent);
 * - `int-or-string` (v2 format, or `x-kubernetes-int-or-string` in a CRD) becomes string or integer.
 * Pure: documents in, schema files out.
 */

/** A JSON value as the schemas hold it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One schema file: its path under the schema folder and its content. */
export interface SchemaFile {
  path: string;
  schema: JsonObject;
}

/**
 * kubeconform's `-schema-location` template for the files this module writes, relative to their
 * folder: `.Group` is the apiVersion before the slash (`v1` for the core group), `.ResourceKind` the
 * lower-case kind and `.ResourceAPIVersion` the version.
 */
export const SCHEMA_LOCATION_TEMPLATE = '{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json';

/** The file kubeconform looks for, for a manifest of this apiVersion and kind. */
export function schemaPath(apiVersion: string, kind: string): string {
  const parts = apiVersion.split('/');
  return `${parts[0]}/${kind.toLowerCase()}_${parts[parts.length - 1]}.json`;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INT_OR_STRING: Json[] = [{ type: 'string' }, { type: 'integer' }];
// Subschemas under these keys describe alternatives of one value: closing them would reject fields
// that another branch or the parent declares.
const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf', 'not']);

interface Rewrite {
  /** The value may be null (an optional field). */
  nullable: boolean;
  /** Close objects that list properties. */
  strict: boolean;
}

function withNull(type: Json): Json {
  if (typeof type === 'string') return type === 'null' ? type : [type, 'null'];
  if (Array.isArray(type) && !type.includes('null')) return [...type, 'null'];
  return type;
}

/** Rewrites one schema node (OpenAPI v2 or v3 structural) into draft-4 JSON Schema for kubeconform. */
function rewrite(node: JsonObject, options: Rewrite): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) {
      const required = Array.isArray(node.required) ? node.required : [];
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          isObject(child) ? rewrite(child, { ...options, nullable: !required.includes(name) }) : child,
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = rewrite(value, { ...options, nullable: false });
    } else if (COMBINATORS.has(key)) {
      const branch = (child: Json): Json => (isObject(child) ? rewrite(child, { nullable: false, strict: false }) : child);
      out[key] = Array.isArray(value) ? value.map(branch) : branch(value);
    } else if (key === 'definitions' && isObject(value)) {
      out.definitions = value;
    } else {
      out[key] = value;
    }
  }
  const intOrString = out.format === 'int-or-string' || out['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    delete out.format;
    delete out.type;
    out.oneOf = options.nullable ? [...INT_OR_STRING, { type: 'null' }] : INT_OR_STRING;
  }
  if (out.nullable === true && out.type !== undefined) out.type = withNull(out.type);
  if (options.nullable && out.type !== undefined) out.type = withNull(out.type);
  const open = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (options.strict && isObject(out.properties) && out.additionalProperties === undefined && !open) {
    out.additionalProperties = false;
  }
  return out;
}

const REF_PREFIX = '#/definitions/';

/** The names of the definitions a node refers to, directly. */
function references(node: Json, found: Set<string>): void {
  if (Array.isArray(node)) for (const child of node) references(child, found);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) found.add(value.slice(REF_PREFIX.length));
      else references(value, found);
    }
  }
}

/** A definition's name and every definition it reaches through references. */
function closure(definitions: JsonObject, root: string): string[] {
  const seen = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const next = new Set<string>();
    references(definitions[queue.pop() as string] ?? null, next);
    for (const name of next) {
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(name);
    }
  }
  return [...seen].sort();
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function apiVersionOf({ group, version }: GroupVersionKind): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * One schema file per kind and version the document defines (definitions that carry
 * `x-kubernetes-group-version-kind`), each holding the definitions it references.
 */
export function schemasFromOpenApiV2(document: JsonObject): SchemaFile[] {
  const source = isObject(document.definitions) ? document.definitions : {};
  const converted: JsonObject = Object.fromEntries(
    Object.entries(source).map(([name, definition]) => [name, isObject(definition) ? rewrite(definition, { nullable: false, strict: true }) : definition]),
  );
  const files: SchemaFile[] = [];
  for (const [name, definition] of Object.entries(source)) {
    if (!isObject(definition) || !Array.isArray(definition['x-kubernetes-group-version-kind'])) continue;
    const definitions = Object.fromEntries(closure(source, name).map((reached) => [reached, converted[reached] ?? null]));
    for (const gvk of definition['x-kubernetes-group-version-kind'] as unknown as GroupVersionKind[]) {
      files.push({
        path: schemaPath(apiVersionOf(gvk), gvk.kind),
        schema: { $schema: 'http://json-schema.org/draft-04/schema#', $ref: `${REF_PREFIX}${name}`, definitions },
      });
    }
  }
  return files;
}

/** One schema file per served version of a CustomResourceDefinition, from its openAPIV3Schema. */
export function schemasFromCrd(crd: JsonObject): SchemaFile[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const files: SchemaFile[] = [];
  for (const version of versions) {
    if (!isObject(version) || !isObject(version.schema) || !isObject(version.schema.openAPIV3Schema)) continue;
    const schema = rewrite(version.schema.openAPIV3Schema, { nullable: false, strict: true });
    files.push({
      path: schemaPath(`${String(spec.group)}/${String(version.name)}`, String(names.kind)),
      schema: { $schema: 'http://json-schema.org/draft-04/schema#', ...schema },
    });
  }
  return files;
}
