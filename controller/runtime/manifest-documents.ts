/**
 * One manifest file's text to the objects the store takes: YAML or JSON, several documents per file
 * (`---`), and `kind: List` as `kubectl get -o yaml` writes it. Each object is made to look as the
 * API server would return it: a namespace on namespaced kinds (`default`, as kubectl applies), none
 * on cluster-scoped ones, Secret `stringData` folded into `data`, a uid, and a resourceVersion that
 * hashes the content. Pure: no file access.
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { API_VERSION } from '../api/types.ts';
import { withContentVersion } from './content-version.ts';
import { coreShapeProblem } from './core-shape.ts';
import { objectKey, type AnyObject, type Kind } from './types.ts';

/** Something wrong in a manifest file; `document` is the 1-based position of the document in it. */
export interface ManifestProblem {
  file: string;
  document?: number;
  message: string;
}

export interface ManifestObject {
  kind: Kind;
  object: AnyObject;
  /** The 1-based position of its document in the file. */
  document: number;
}

export interface ParsedManifest {
  /** The objects of the documents that were good. */
  objects: ManifestObject[];
  problems: ManifestProblem[];
  /** The file is not valid YAML: its objects cannot be trusted, even the ones that parsed. */
  syntaxError: boolean;
}

interface KindRule {
  apiVersion: string;
  namespaced: boolean;
}

/** The kinds Porter reads, with the API group version and scope the Kubernetes API gives them. */
export const KIND_RULES: Record<Kind, KindRule> = {
  Service: { apiVersion: 'v1', namespaced: true },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', namespaced: true },
  Node: { apiVersion: 'v1', namespaced: false },
  Namespace: { apiVersion: 'v1', namespaced: false },
  Secret: { apiVersion: 'v1', namespaced: true },
  Eip: { apiVersion: API_VERSION, namespaced: false },
  BgpConf: { apiVersion: API_VERSION, namespaced: false },
  BgpPeer: { apiVersion: API_VERSION, namespaced: false },
};

/** Every kind a manifest directory can hold. */
export const MANIFEST_KINDS = Object.keys(KIND_RULES) as Kind[];

/** Parses one file's text; never throws. */
export function parseManifest(file: string, text: string): ParsedManifest {
  const result: ParsedManifest = { objects: [], problems: [], syntaxError: false };
  const documents = parseAllDocuments(text);
  documents.forEach((parsed, index) => {
    const document = index + 1;
    if (parsed.errors.length > 0) {
      result.syntaxError = true;
      result.problems.push({ file, document, message: firstLine(parsed.errors[0].message) });
      return;
    }
    const value: unknown = parsed.toJS();
    if (value === null || value === undefined) return;
    for (const item of expandList(value)) {
      const converted = toObject(item);
      if (converted.ok) result.objects.push({ ...converted.value, document });
      else result.problems.push({ file, document, message: converted.error });
    }
  });
  if (result.syntaxError) result.objects = [];
  return result;
}

/** A `kind: List` stands for its items; anything else for itself. */
function expandList(value: unknown): unknown[] {
  if (isRecord(value) && value.kind === 'List' && Array.isArray(value.items)) return value.items;
  return [value];
}

function toObject(value: unknown): { ok: true; value: { kind: Kind; object: AnyObject } } | { ok: false; error: string } {
  if (!isRecord(value)) return { ok: false, error: 'not an object (a mapping with apiVersion, kind and metadata)' };
  const { kind, apiVersion } = value;
  if (typeof kind !== 'string' || kind === '') return { ok: false, error: 'no kind' };
  const rule = Object.hasOwn(KIND_RULES, kind) ? KIND_RULES[kind as Kind] : undefined;
  if (rule === undefined) return { ok: false, error: `unknown kind ${kind} (Porter reads ${MANIFEST_KINDS.join(', ')})` };
  if (apiVersion !== rule.apiVersion) {
    return { ok: false, error: `${kind} has apiVersion ${String(apiVersion)}, expected ${rule.apiVersion}` };
  }
  const shape = coreShapeProblem(kind as Kind, value);
  if (shape !== undefined) return { ok: false, error: `${kind} ${String(isRecord(value.metadata) ? value.metadata.name : '')}: ${shape}` };
  const metadata = isRecord(value.metadata) ? { ...value.metadata } : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return { ok: false, error: `${kind} without metadata.name` };
  if (rule.namespaced) {
    if (typeof metadata.namespace !== 'string' || metadata.namespace === '') metadata.namespace = 'default';
  } else {
    delete metadata.namespace;
  }
  let object: Record<string, unknown> = { ...value, metadata };
  if (kind === 'Secret') object = foldStringData(object);
  metadata.uid ??= syntheticUid(kind, objectKey(metadata));
  return { ok: true, value: { kind: kind as Kind, object: withContentVersion(object) as AnyObject } };
}

/** The API server merges a Secret's `stringData` into `data` (base64), `stringData` winning. */
function foldStringData(secret: Record<string, unknown>): Record<string, unknown> {
  const { stringData, ...rest } = secret;
  if (!isRecord(stringData)) return rest;
  const data: Record<string, unknown> = isRecord(rest.data) ? { ...rest.data } : {};
  for (const [key, text] of Object.entries(stringData)) data[key] = Buffer.from(String(text)).toString('base64');
  return { ...rest, data };
}

/** A stable UUID-shaped uid per kind and key, so Events about an object refer to one identity. */
function syntheticUid(kind: string, key: string): string {
  const hex = createHash('sha256').update(`${kind}/${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
