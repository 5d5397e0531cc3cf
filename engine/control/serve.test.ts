/**
 * The standalone process: `porter bgp serve` with a configuration on loopback, its control socket
 * and CLI wrappers, a bad configuration, and SIGTERM ending every session with Cease/2.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ManualClock } from '../session/clock.ts';
import { entryOf, Speakers, until } from '../speaker/testing.ts';
import { controlRequest } from './client.ts';

const PORTER = join(import.meta.dirname, '../../bin/porter.mjs');
const PROCESS = '127.0.34.1';
const PEER = '127.0.34.2';
const run = promisify(execFile);

async function freePort(address: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Writes one raw line and reads one response line. */
function rawExchange(path: string, line: string | Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path, () => socket.write(line));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      socket.destroy();
      resolve(JSON.parse(text.slice(0, newline)));
    });
    socket.on('error', reject);
  });
}

test('porter bgp serve: sessions, control socket, CLI wrappers, and a clean SIGTERM', { timeout: 150_000 }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'porter-serve-'));
  const speakers = new Speakers();
  let child: ChildProcess | undefined;
  try {
    const port = await freePort(PROCESS);
    const control = join(directory, 'control.sock');
    const config = join(directory, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        asn: 65001,
        routerId: '192.0.2.34',
        listen: [{ address: PROCESS, port }],
        peers: [{ address: PEER, asn: 65002, passive: true, families: ['ipv4-unicast', 'ipv6-unicast'], description: 'test peer' }],
        routes: [{ prefix: '198.51.100.34/32', attributes: [{ type: 'communities', values: ['65001:34'] }] }],
      }),
    );
    const logs: string[] = [];
    child = spawn(process.execPath, [PORTER, 'bgp', 'serve', '--config', config, '--control', control], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
    await until(() => logs.some((line) => line.includes('"event":"control"')), 'the control socket', 45_000);
    const startup = JSON.parse(logs.find((line) => line.includes('"event":"startup"'))!);
    assert.match(startup.codec, /^wire codec: /, 'the startup line names the codec');

    const peer = await speakers.start(PEER, 65002, {}, { listen: false });
    peer.addPeer({ address: PROCESS, asn: 65001, port, localAddress: PEER, families: ['ipv4-unicast', 'ipv6-unicast'], connectRetry: 1 });
    await until(() => entryOf(peer, 'ipv4-unicast', '198.51.100.34/32') !== undefined, 'the configured route at the peer', 30_000);
    await until(
      () => logs.some((line) => line.includes('"event":"peer-state"') && line.includes('"to":"Established"')),
      'the state change in the log',
    );

    const neighbors = await controlRequest(control, { op: 'neighbors' });
    assert.equal(neighbors.ok, true);
    const [status] = (neighbors as { result: { address: string; state: string; advertised: number; description: string }[] }).result;
    assert.deepEqual([status.address, status.state, status.advertised, status.description], [PEER, 'Established', 1, 'test peer']);

    peer.announce([{ prefix: '203.0.113.0/24' }]);
    const announced = await controlRequest(control, { op: 'announce', routes: [{ prefix: '2001:db8:34::/64', nextHop: '2001:db8::34' }] });
    assert.deepEqual(announced, { ok: true, result: { announced: 1 } });
    await until(() => entryOf(peer, 'ipv6-unicast', '2001:db8:34::/64') !== undefined, 'the announced route at the peer');
    type LocRib = { prefix: string; paths: { peer: string; best: boolean }[] }[];
    let loc: LocRib = [];
    for (let attempt = 0; attempt < 250 && loc.length < 2; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await controlRequest(control, { op: 'rib', family: 'ipv4-unicast', table: 'loc' });
      assert.equal(response.ok, true);
      loc = (response as { result: LocRib }).result;
    }
    const learned = loc.find(({ prefix }) => prefix === '203.0.113.0/24')!;
    assert.deepEqual([learned.paths[0].peer, learned.paths[0].best], [PEER, true]);
    const adjIn = await controlRequest(control, { op: 'rib', family: 'ipv4-unicast', table: 'in', peer: PEER });
    assert.deepEqual((adjIn as { result: { prefix: string }[] }).result.map(({ prefix }) => prefix), ['203.0.113.0/24']);
    const adjOut = await controlRequest(control, { op: 'rib', family: 'ipv6-unicast', table: 'out', peer: PEER });
    assert.deepEqual((adjOut as { result: { nextHops: string[] }[] }).result.map(({ nextHops }) => nextHops), [['2001:db8::34']]);

    const forwarding = await controlRequest(control, { op: 'forwarding', family: 'ipv4-unicast' });
    assert.deepEqual(
      (forwarding as { result: { prefix: string; nextHops: { address: string }[] }[] }).result.find(({ prefix }) => prefix === '203.0.113.0/24')?.nextHops.length,
      1,
    );
    const explained = await run(process.execPath, [PORTER, 'bgp', 'explain', '--control', control, '--src', '198.51.100.9', '--dst', '203.0.113.7', '--dport', '443']);
    assert.equal(JSON.parse(explained.stdout).prefix, '203.0.113.0/24');
    assert.match(((await controlRequest(control, { op: 'explain', src: '198.51.100.9', dst: '192.0.2.250' })) as { error: string }).error, /no route/);

    // Bad requests answer with an error and leave the process running.
    assert.match(((await rawExchange(control, 'not json\n')) as { error: string }).error, /not JSON/);
    assert.equal(((await rawExchange(control, '{"op":"nonsense"}\n')) as { ok: boolean }).ok, false);
    assert.match(((await rawExchange(control, '{"op":"rib","family":"ipv9"}\n')) as { error: string }).error, /unknown family/);
    assert.match(((await rawExchange(control, Buffer.concat([Buffer.alloc(5 * 1024 * 1024, 0x61), Buffer.from('\n')]))) as { error: string }).error, /longer than/);
    assert.match(((await controlRequest(control, { op: 'announce', routes: [{ prefix: 'nope' }] })) as { error: string }).error, /prefix/);
    assert.match(((await controlRequest(control, { op: 'peer-add', peer: { address: '300.1.1.1', asn: 1 } })) as { error: string }).error, /peer.address/);

    const cli = await run(process.execPath, [PORTER, 'bgp', 'neighbors', '--control', control]);
    assert.equal(JSON.parse(cli.stdout)[0].state, 'Established');
    await run(process.execPath, [PORTER, 'bgp', 'withdraw', '--control', control, '--prefix', '2001:db8:34::/64']);
    await until(() => entryOf(peer, 'ipv6-unicast', '2001:db8:34::/64') === undefined, 'the withdrawal at the peer');

    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, 'exit 0 after SIGTERM');
    await until(() => peer.neighbor(PROCESS).state !== 'Established', 'the session down at the peer');
    assert.match(peer.neighbor(PROCESS).lastError ?? '', /received NOTIFICATION 6\/2/, 'Cease/2 Administrative Shutdown');
    assert.equal(entryOf(peer, 'ipv4-unicast', '198.51.100.34/32'), undefined, 'its routes gone at once');
  } finally {
    if (child !== undefined && child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    await speakers.cleanup();
    rmSync(directory, { recursive: true, force: true });
  }
});

test('porter bgp serve refuses a bad configuration, naming the field', { timeout: 60_000 }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'porter-serve-'));
  try {
    const config = join(directory, 'config.json');
    writeFileSync(config, JSON.stringify({ asn: 65001, routerId: '192.0.2.1', peers: [{ address: '192.0.2.2', asn: 4294967296 }] }));
    const failed = await run(process.execPath, [PORTER, 'bgp', 'serve', '--config', config]).then(
      () => assert.fail('a bad configuration must not run'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /peers\[0\]\.asn: 4294967296 is not an integer from 1 to 4294967295/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('porter bgp serve killed and started again with restarting: peers keep its routes stale, then sweep at End-of-RIB', { timeout: 150_000 }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'porter-serve-'));
  const speakers = new Speakers();
  const children: ChildProcess[] = [];
  const address = '127.0.37.1';
  const helperAddress = '127.0.37.2';
  try {
    const clock = new ManualClock();
    const helper = await speakers.start(helperAddress, 65002, { gracefulRestart: { restartTime: 120, restarting: false, llgrStaleTime: 0, stalePathTime: 360 } }, { clock });
    helper.addPeer({ address, asn: 65001, passive: true });
    const serve = async (restarting: boolean, prefixes: string[]) => {
      const config = join(directory, `config-${children.length}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          asn: 65001,
          routerId: '192.0.2.37',
          gracefulRestart: { restartTime: 120, restarting },
          peers: [{ address: helperAddress, asn: 65002, localAddress: address, port: helper.listening[0].port, connectRetry: 1 }],
          routes: prefixes.map((prefix) => ({ prefix })),
        }),
      );
      const child = spawn(process.execPath, [PORTER, 'bgp', 'serve', '--config', config], { stdio: 'ignore' });
      children.push(child);
      return child;
    };
    const first = await serve(false, ['198.51.100.1/32', '198.51.100.2/32']);
    await until(() => entryOf(helper, 'ipv4-unicast', '198.51.100.2/32') !== undefined, 'the routes at the helper', 45_000);
    first.kill('SIGKILL');
    await until(() => helper.neighbor(address).state !== 'Established', 'the helper noticing', 30_000);
    assert.equal(entryOf(helper, 'ipv4-unicast', '198.51.100.1/32')!.paths[0].stale, 'gr');
    assert.equal(entryOf(helper, 'ipv4-unicast', '198.51.100.2/32')!.paths[0].stale, 'gr');
    clock.advance(10); // the helper's IdleHoldTimer: it listens again.
    const second = await serve(true, ['198.51.100.1/32']);
    await until(() => entryOf(helper, 'ipv4-unicast', '198.51.100.2/32') === undefined, 'the route not sent again swept', 45_000);
    assert.equal(entryOf(helper, 'ipv4-unicast', '198.51.100.1/32')!.paths[0].stale, null);
    second.kill('SIGTERM');
    assert.equal(await exited(second), 0);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await speakers.cleanup();
    rmSync(directory, { recursive: true, force: true });
  }
});
