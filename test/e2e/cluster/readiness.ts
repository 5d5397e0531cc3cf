/**
 * Waiting for the control plane: etcd says "ready" in its log, kube-apiserver answers /readyz
 * once its storage, RBAC bootstrap and other post-start hooks are done. Each wait is bounded and
 * gives up early when the process has died, quoting its log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { delay } from './processes.ts';
import type { Result } from './types.ts';

/** Options shared by the waits. */
export interface WaitOptions {
  timeoutMs: number;
  /** False once the awaited process has exited: the wait stops there. */
  alive: () => boolean;
  /** Its log file, whose tail goes into the error. */
  logFile: string;
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Waits until `pattern` appears in the log file. */
export async function waitForLog(what: string, pattern: RegExp, options: WaitOptions): Promise<Result<void>> {
  return poll(what, options, async () => existsSync(options.logFile) && pattern.test(readFileSync(options.logFile, 'utf8')));
}

/** Where and how to reach kube-apiserver. */
export interface Endpoint {
  server: string;
  caPem: string;
  token: string;
}

/** GET `path` on kube-apiserver; the status code and body. */
export function get(endpoint: Endpoint, path: string, timeoutMs = 5_000): Promise<Result<{ status: number; body: string }>> {
  return new Promise((resolve) => {
    const req = request(
      new URL(path, endpoint.server),
      { ca: endpoint.caPem, headers: { authorization: `Bearer ${endpoint.token}` }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ ok: true, value: { status: res.statusCode ?? 0, body } }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end();
  });
}

/** Waits until kube-apiserver's /readyz answers 200. */
export async function waitForReadyz(endpoint: Endpoint, options: WaitOptions): Promise<Result<void>> {
  return poll('kube-apiserver /readyz', options, async () => {
    const answer = await get(endpoint, '/readyz');
    return answer.ok && answer.value.status === 200;
  });
}

async function poll(what: string, options: WaitOptions, probe: () => Promise<boolean>): Promise<Result<void>> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await probe()) return { ok: true, value: undefined };
    if (!options.alive()) return { ok: false, error: `${what}: the process exited\n${logTail(options.logFile)}` };
    if (Date.now() > deadline) {
      return { ok: false, error: `${what}: not ready after ${options.timeoutMs} ms\n${logTail(options.logFile)}` };
    }
    await delay(200);
  }
}
