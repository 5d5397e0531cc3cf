/**
 * Synthetic resourceVersions for objects that do not come from an API server (manifest files, and
 * the statuses written over them): a hash of the object's content, so the same content always gets
 * the same version and the store recognises an unchanged object as unchanged.
 */
import { createHash } from 'node:crypto';
import type { V1ObjectMeta } from '@kubernetes/client-node';

/** JSON with object keys sorted, so key order in a file does not change the hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The hash of an object's content, its own resourceVersion left out. */
export function contentVersion<T extends { metadata?: V1ObjectMeta }>(object: T): string {
  const { resourceVersion: _ignored, ...metadata } = object.metadata ?? {};
  const hash = createHash('sha256').update(canonicalJson({ ...object, metadata }));
  return hash.digest('hex').slice(0, 16);
}

/** The object with its resourceVersion set to its content hash (a new object; the input is untouched). */
export function withContentVersion<T extends { metadata?: V1ObjectMeta }>(object: T): T {
  return { ...object, metadata: { ...object.metadata, resourceVersion: contentVersion(object) } };
}
