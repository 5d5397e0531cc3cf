/** The relay: endpoint parsing, and bytes crossing two relays (TCP to unix socket to TCP) both ways. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEndpoint, startRelay } from './apiserver-relay.ts';

test('endpoints: a path or host:port', () => {
  const table: [string, ReturnType<typeof parseEndpoint>][] = [
    ['/tmp/a.sock', { ok: true, value: { path: '/tmp/a.sock' } }],
    ['127.0.0.1:6443', { ok: true, value: { host: '127.0.0.1', port: 6443 } }],
    ['127.0.0.1:0', { ok: false, error: 'not a socket path or host:port: 127.0.0.1:0' }],
    ['localhost', { ok: false, error: 'not a socket path or host:port: localhost' }],
    ['127.0.0.1:70000', { ok: false, error: 'not a socket path or host:port: 127.0.0.1:70000' }],
  ];
  for (const [text, expected] of table) assert.deepEqual(parseEndpoint(text), expected, text);
});

test('bytes cross a TCP-to-unix relay and a unix-to-TCP relay and come back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'porter-relay-'));
  const echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoPort = (echo.address() as AddressInfo).port;
  const socketPath = join(dir, 'apiserver.sock');
  const toEcho = await startRelay({ path: socketPath }, { host: '127.0.0.1', port: echoPort });
  const front = await startRelay({ host: '127.0.0.1', port: 0 }, { path: socketPath });
  try {
    const port = (front.address() as AddressInfo).port;
    const reply = await new Promise<string>((resolve, reject) => {
      const client = connect(port, '127.0.0.1', () => client.end('hello through two relays'));
      let text = '';
      client.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      client.once('close', () => resolve(text)).once('error', reject);
    });
    assert.equal(reply, 'hello through two relays');
  } finally {
    await Promise.all([front, toEcho, echo].map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  }
});
