/**
 * A byte relay between a listening endpoint and a target endpoint, each a TCP `host:port` or a
 * unix socket path. The suite's speakers run in network namespaces of their own and reach
 * kube-apiserver, which listens on the host's loopback, through two of these: one on the host
 * from a unix socket to the apiserver, one in each namespace from its loopback to that socket (a
 * unix socket is a file, and files are shared across network namespaces). Nothing is routed to
 * the host, and TLS passes through untouched, so the speakers still verify the apiserver's CA.
 *
 * Run as `apiserver-relay.ts LISTEN TARGET`; prints `relay listening on LISTEN` once it accepts.
 */
import { rmSync } from 'node:fs';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Where to listen or connect. */
export type Endpoint = { path: string } | { host: string; port: number };

/** An endpoint from its text: a path (it contains `/`) or `host:port`. */
export function parseEndpoint(text: string): { ok: true; value: Endpoint } | { ok: false; error: string } {
  if (text.includes('/')) return { ok: true, value: { path: text } };
  const match = /^([^:]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) return { ok: false, error: `not a socket path or host:port: ${text}` };
  return { ok: true, value: { host: match[1], port } };
}

/** Listens on `listen` and pipes every connection to a new connection to `target`. */
export async function startRelay(listen: Endpoint, target: Endpoint): Promise<Server> {
  // Half-open both ways: a client that has sent its last bytes (FIN) still gets the answer.
  const server = createServer({ allowHalfOpen: true }, (inbound) => pipe(inbound, connect({ ...target, allowHalfOpen: true })));
  // A socket file left by an earlier relay would make listen fail with EADDRINUSE.
  if ('path' in listen) rmSync(listen.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in listen) server.listen(listen.path, resolve);
    else server.listen(listen.port, listen.host, resolve);
  });
  return server;
}

/** Joins two sockets: an end goes across as an end; either side closing or failing ends both. */
function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.once('error', end).once('close', end);
  b.once('error', end).once('close', end);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [listenText = '', targetText = ''] = process.argv.slice(2);
  const listen = parseEndpoint(listenText);
  const target = parseEndpoint(targetText);
  if (!listen.ok || !target.ok) {
    console.error(`usage: apiserver-relay.ts LISTEN TARGET (${[listen, target].flatMap((e) => (e.ok ? [] : [e.error])).join('; ')})`);
    process.exit(2);
  }
  await startRelay(listen.value, target.value);
  console.log(`relay listening on ${listenText}`);
}
