/**
 * The operations endpoint of `porter controller`, `porter speaker` and `porter run`: `/metrics` for
 * Prometheus, `/healthz` for the kubelet's liveness probe and `/readyz` for its readiness probe
 * (the Kubernetes API server's own endpoint names). A failed probe answers 503 with a one-line
 * reason, which `kubectl describe pod` shows in the probe's event.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A probe's answer: true or false, or false with the reason shown to whoever asks. */
export type ProbeResult = boolean | { ok: boolean; reason?: string };

export interface OpsServerOptions {
  /** Default 0.0.0.0, so the kubelet and Prometheus reach it on the pod's address. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  ready: () => ProbeResult;
  /** Default: always healthy while the process answers. */
  healthy?: () => ProbeResult;
}

/** A running ops server. */
export interface OpsServer {
  /** The port it listens on (the one picked, for port 0). */
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound, rejects if it cannot be. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const healthy = options.healthy ?? (() => true);
  const server = createServer((request, response) => {
    void respond(request, response, options.registry, options.ready, healthy);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry,
  ready: () => ProbeResult,
  healthy: () => ProbeResult,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://ops').pathname;
  const route = ROUTES[path];
  if (route === undefined) return send(response, 404, 'not found\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n');
  if (route === 'metrics') {
    try {
      const text = await registry.metrics();
      return send(response, 200, text, registry.contentType);
    } catch (error) {
      return send(response, 500, `${oneLine((error as Error).message)}\n`);
    }
  }
  const verdict = route === 'healthz' ? probe(healthy, 'unhealthy') : probe(ready, 'not ready');
  if (verdict.ok) return send(response, 200, 'ok\n');
  return send(response, 503, `${verdict.reason}\n`);
}

const ROUTES: Record<string, 'metrics' | 'healthz' | 'readyz'> = {
  '/metrics': 'metrics',
  '/healthz': 'healthz',
  '/readyz': 'readyz',
};

/** Runs a probe; one that throws has failed, with its message as the reason. */
export function probe(check: () => ProbeResult, fallbackReason: string): { ok: true } | { ok: false; reason: string } {
  let result: ProbeResult;
  try {
    result = check();
  } catch (error) {
    return { ok: false, reason: oneLine((error as Error).message) };
  }
  const ok = typeof result === 'boolean' ? result : result.ok;
  if (ok) return { ok: true };
  const reason = typeof result === 'boolean' ? undefined : result.reason;
  return { ok: false, reason: oneLine(reason ?? fallbackReason) };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function send(response: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
