/**
 * One page of a Kubernetes list, fetched as plain JSON. The generated typed clients turn timestamps
 * into Date objects and rename fields, while a watch delivers plain JSON; reading both as plain JSON
 * gives the store one shape per kind, the same shape manifests parsed from YAML have.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface ListQuery {
  limit?: number;
  continue?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListPage {
  /** The items as the API sends them: without `kind` and `apiVersion`. */
  items: unknown[];
  /** The collection's resourceVersion, where a watch of later changes starts. */
  resourceVersion: string;
  /** Present when more pages follow. */
  continue?: string;
}

/** An API failure: `code` is the HTTP status (410 Gone, 409 Conflict...), absent for network errors. */
export interface KubeError {
  code?: number;
  reason?: string;
  message: string;
}

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: KubeError };

/** Fetches one page of the collection at `path`; `signal` abandons the request. */
export type ListPageFn = (path: string, query: ListQuery, signal?: AbortSignal) => Promise<Fetched<ListPage>>;

/** Bound on one page's request, so a half-open connection cannot stall a relist forever. */
const REQUEST_TIMEOUT_MS = 60_000;

/** A ListPageFn over the cluster `kc` points at, with its credentials and CA. */
export function kubeListPage(kc: KubeConfig): ListPageFn {
  return async (path, query, signal) => {
    const cluster = kc.getCurrentCluster();
    if (!cluster) return { ok: false, error: { message: 'no current cluster in the kubeconfig' } };
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const options: https.RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (error) {
      return { ok: false, error: { message: `credentials: ${(error as Error).message}` } };
    }
    return get(url, options, signal);
  };
}

function get(url: URL, options: https.RequestOptions, signal: AbortSignal | undefined): Promise<Fetched<ListPage>> {
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve) => {
    const request = transport.request(
      url,
      { ...options, method: 'GET', headers: { ...options.headers, Accept: 'application/json' }, timeout: REQUEST_TIMEOUT_MS, signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => resolve({ ok: false, error: { message: error.message } }));
        response.on('end', () => resolve(parse(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} in ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => resolve({ ok: false, error: { message: error.message } }));
    request.end();
  });
}

function parse(status: number, text: string): Fetched<ListPage> {
  let body: { items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string }; reason?: string; message?: string };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: status, message: `HTTP ${status}: ${text.slice(0, 200)}` } };
  }
  if (status !== 200) {
    return { ok: false, error: { code: status, ...(body.reason ? { reason: body.reason } : {}), message: body.message ?? `HTTP ${status}` } };
  }
  const next = body.metadata?.continue;
  return {
    ok: true,
    value: { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? '', ...(next ? { continue: next } : {}) },
  };
}
