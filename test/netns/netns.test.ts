/**
 * The namespace helpers: veth pairs and bridges carry IPv4 and IPv6 at once, processes started in a
 * namespace stop by pid, and cleanup removes every namespace and process. Needs root.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { cleanupAll } from './cleanup.ts';
import { runIn } from './exec.ts';
import { attachToBridge, createBridge, createVethLink } from './link.ts';
import { createNamespace, deleteNamespace } from './namespace.ts';
import { RUN_PREFIX } from './names.ts';
import { spawnIn } from './process.ts';

const skip = process.getuid?.() === 0 ? false : 'needs root: it creates network namespaces';
after(cleanupAll);

const PORT = 7000;
const ECHO_SERVER = `require('node:net').createServer((s) => s.end('hello')).listen(${PORT}, '::')`;
/** Connects from a namespace to host:PORT, retrying while the server starts; prints what it reads. */
const CLIENT = `
const [host] = process.argv.slice(1);
const attempt = (left) => {
  const s = require('node:net').connect(${PORT}, host);
  s.on('data', (d) => process.stdout.write(d));
  s.on('error', () => (left ? setTimeout(() => attempt(left - 1), 100) : process.exit(1)));
};
attempt(30);`;

/** Whether a TCP connection from `namespace` reaches the echo server at `host`. */
async function reach(namespace: string, host: string): Promise<string> {
  return (await runIn(namespace, process.execPath, ['-e', CLIENT, host])).stdout;
}

test('a veth pair carries IPv4 and IPv6 without waiting for DAD', { skip }, async () => {
  const a = await createNamespace('a');
  const b = await createNamespace('b');
  const link = await createVethLink(
    { namespace: a, ipv4: '198.51.100.1/30', ipv6: '2001:db8:0:1::1/64', mac: '02:00:00:00:01:01' },
    { namespace: b, ipv4: '198.51.100.2/30', ipv6: '2001:db8:0:1::2/64' },
  );
  assert.equal(link.a.ipv4, '198.51.100.1');
  assert.equal(link.b.ipv6, '2001:db8:0:1::2');
  assert.ok(a.startsWith(RUN_PREFIX) && link.a.interface.length <= 15);
  const server = spawnIn(b, process.execPath, ['-e', ECHO_SERVER]);
  assert.equal(await reach(a, link.b.ipv4!), 'hello');
  assert.equal(await reach(a, link.b.ipv6!), 'hello');
  await server.stop();
  // A fixed MAC gives the EUI-64 link-local address (RFC 4291 appendix A).
  assert.match((await runIn(a, 'ip', ['-6', 'addr', 'show', 'dev', link.a.interface])).stdout, /fe80::ff:fe00:101\/64/);
  await deleteNamespace(a);
  await deleteNamespace(b);
  assert.equal(existsSync(`/run/netns/${a}`), false);
});

test('namespaces on one bridge reach each other', { skip }, async () => {
  const hub = await createNamespace('hub');
  const bridge = await createBridge({ namespace: hub, ipv4: '192.0.2.254/24', ipv6: '2001:db8:0:2::fe/64' });
  const left = await createNamespace('left');
  const right = await createNamespace('right');
  await attachToBridge(bridge, { namespace: left, ipv4: '192.0.2.1/24', ipv6: '2001:db8:0:2::1/64' });
  const end = await attachToBridge(bridge, { namespace: right, ipv4: '192.0.2.2/24', ipv6: '2001:db8:0:2::2/64' });
  const server = spawnIn(right, process.execPath, ['-e', ECHO_SERVER]);
  assert.equal(await reach(left, end.ipv4!), 'hello');
  assert.equal(await reach(left, end.ipv6!), 'hello');
  assert.equal(await reach(hub, end.ipv4!), 'hello');
  await server.stop();
});

test('a process in a namespace stops by its pid, and cleanup removes what is left', { skip }, async () => {
  const ns = await createNamespace('proc');
  const stopped = spawnIn(ns, 'sleep', ['60']);
  const left = spawnIn(ns, 'sleep', ['60']);
  assert.deepEqual((await runIn(ns, 'ip', ['netns', 'identify', String(stopped.pid)])).stdout.trim(), ns);
  await stopped.stop(500);
  assert.equal(await stopped.exited, 'SIGTERM');
  cleanupAll();
  assert.equal(await left.exited, 'SIGKILL');
  assert.equal(existsSync(`/run/netns/${ns}`), false);
});
