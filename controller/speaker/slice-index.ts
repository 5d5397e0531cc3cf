/**
 * Which EndpointSlices belong to which Service, kept from store events, so that a Service's
 * endpoints are found without scanning every slice of the cluster. A slice names its Service
 * by the `kubernetes.io/service-name` label, which may change; the index follows it.
 */
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { ObjectKey } from '../runtime/types.ts';
import { SERVICE_NAME_LABEL } from './eligibility.ts';

/** The `namespace/name` of the Service a slice belongs to, if it names one. */
export function sliceServiceKey(slice: V1EndpointSlice): ObjectKey | undefined {
  const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  const namespace = slice.metadata?.namespace;
  return service === undefined || namespace === undefined ? undefined : `${namespace}/${service}`;
}

export class SliceIndex {
  readonly #byService = new Map<ObjectKey, Set<ObjectKey>>();
  readonly #serviceOf = new Map<ObjectKey, ObjectKey>();

  /** Records a slice (absent: deleted); returns the Services whose slices changed (one, or two when it moved). */
  set(sliceKey: ObjectKey, slice: V1EndpointSlice | undefined): ObjectKey[] {
    const before = this.#serviceOf.get(sliceKey);
    const after = slice === undefined ? undefined : sliceServiceKey(slice);
    if (before !== undefined && before !== after) {
      const keys = this.#byService.get(before);
      keys?.delete(sliceKey);
      if (keys?.size === 0) this.#byService.delete(before);
      this.#serviceOf.delete(sliceKey);
    }
    if (after !== undefined) {
      let keys = this.#byService.get(after);
      if (keys === undefined) {
        keys = new Set();
        this.#byService.set(after, keys);
      }
      keys.add(sliceKey);
      this.#serviceOf.set(sliceKey, after);
    }
    return [...new Set([before, after].filter((key): key is ObjectKey => key !== undefined))];
  }

  /** The keys of a Service's slices. */
  slicesOf(service: ObjectKey): ObjectKey[] {
    return [...(this.#byService.get(service) ?? [])];
  }
}
