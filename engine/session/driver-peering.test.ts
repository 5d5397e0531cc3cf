/** Two drivers peering over loopback: active and passive, both active, administrative shutdown. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { tsCodec } from '../wire/ts-codec.ts';
import type { UpdateMessage } from '../wire/types.ts';
import type { PeerDriver } from './driver.ts';
import { maximumPrefixesReached } from './notifications.ts';
import { Cleanup, loopbackPeer, nextEvent, until } from './driver-testing.ts';

const A = '127.0.0.1';
const B = '127.0.0.2';

/** Two peers, each with a listener on its own loopback address. */
async function pair(cleanup: Cleanup, passiveB: boolean): Promise<{ a: PeerDriver; b: PeerDriver }> {
  const listenA = await cleanup.listener([{ address: A, port: 0 }]);
  const listenB = await cleanup.listener([{ address: B, port: 0 }]);
  const a = cleanup.driver(
    loopbackPeer({ remoteAddress: B, localAddress: A, remotePort: listenB.addresses()[0].port, holdTime: 30 }),
  );
  const b = cleanup.driver(
    loopbackPeer({
      localAs: 65002,
      routerId: '192.0.2.2',
      peerAs: 65001,
      remoteAddress: A,
      localAddress: B,
      remotePort: listenA.addresses()[0].port,
      passive: passiveB,
      holdTime: 60,
    }),
  );
  listenA.addPeer(a);
  listenB.addPeer(b);
  return { a, b };
}

test('an active and a passive driver establish one session and negotiate it', async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, true);
    const states: string[] = [];
    b.on('state', ({ to }) => states.push(to));
    const establishedA = nextEvent(a, 'established');
    const establishedB = nextEvent(b, 'established');
    b.start();
    a.start();
    const [[sessionA], [sessionB]] = await Promise.all([establishedA, establishedB]);
    assert.equal(sessionA.peerAs, 65002);
    assert.equal(sessionB.peerAs, 65001);
    assert.equal(sessionA.peerId, '192.0.2.2');
    assert.equal(sessionA.holdTime, 30, 'the smaller hold time');
    assert.equal(sessionB.keepaliveTime, 10);
    assert.deepEqual(sessionA.families, ['ipv4-unicast']);
    assert.equal(sessionA.extendedMessage, true);
    assert.deepEqual(states, ['Active', 'OpenSent', 'OpenConfirm', 'Established'], 'the passive side waits in Active');
    assert.equal(a.state, 'Established');
    assert.equal(a.connectionCount, 1);
    assert.equal(a.socket?.localAddress, A, 'from the configured local address');
    assert.equal(b.socket?.remotePort, a.socket?.localPort, 'one TCP connection');
  } finally {
    await cleanup.run();
  }
});

test('two active drivers: whatever collides, one session is left', async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, false);
    let mostConnections = 0;
    for (const driver of [a, b]) {
      driver.on('state', () => {
        mostConnections = Math.max(mostConnections, a.connectionCount, b.connectionCount);
      });
    }
    a.start();
    b.start();
    await until(() => a.state === 'Established' && b.state === 'Established', 'both Established');
    await until(() => a.connectionCount === 1 && b.connectionCount === 1, 'one connection each');
    assert.equal(a.socket?.localPort, b.socket?.remotePort, 'both keep the same TCP connection');
    assert.equal(a.socket?.remotePort, b.socket?.localPort);
    assert.ok(mostConnections <= 2);
  } finally {
    await cleanup.run();
  }
});

test('administrative shutdown: the peer reads Cease/2 with the RFC 9003 message', async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, true);
    b.start();
    a.start();
    await Promise.all([nextEvent(a, 'established'), nextEvent(b, 'established')]);
    const downA = nextEvent(a, 'down');
    const downB = nextEvent(b, 'down');
    await a.stop('maintenance window, back at 14:00 ⚙');
    const [[sent]] = await Promise.all([downA]);
    const [[received]] = await Promise.all([downB]);
    assert.equal(sent.reason, 'manual-stop');
    assert.equal(sent.wasEstablished, true);
    assert.deepEqual(
      { code: received.received?.code, subcode: received.received?.subcode, text: received.received?.shutdownMessage },
      { code: 6, subcode: 2, text: 'maintenance window, back at 14:00 ⚙' },
    );
    assert.equal(received.reason, 'notification-received');
    assert.equal(received.wasEstablished, true);
    assert.equal(a.state, 'Idle');
    assert.equal(a.connectionCount, 0);
  } finally {
    await cleanup.run();
  }
});

test('a configuration change resets the session only when it must', async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, true);
    b.start();
    a.start();
    await Promise.all([nextEvent(a, 'established'), nextEvent(b, 'established')]);
    const downs: unknown[] = [];
    a.on('down', (down) => downs.push(down));

    const input = { ...a.config.session, ...a.config.transport };
    assert.equal(a.updateConfig({ ...input, holdTime: 20, connectRetry: { base: 2, cap: 4 } }), 'none');
    assert.equal(a.state, 'Established');
    assert.deepEqual(downs, []);
    assert.equal(a.session?.holdTime, 30, 'the running session keeps what it negotiated');

    const downB = nextEvent(b, 'down');
    const again = nextEvent(b, 'established');
    assert.equal(a.updateConfig({ ...input, holdTime: 20, routerId: '192.0.2.9' }), 'reset');
    const [[report]] = await Promise.all([downB]);
    assert.deepEqual([report.received?.code, report.received?.subcode], [6, 6], 'Cease/6 Other Configuration Change');
    const [session] = await again;
    assert.equal(session.peerId, '192.0.2.9', 'the new OPEN');
    assert.equal(session.holdTime, 20, 'and the new hold time with it');
  } finally {
    await cleanup.run();
  }
});

test('UPDATE bytes, route refresh and a max-prefix stop, from one driver to the other', async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, true);
    b.start();
    a.start();
    const [[session]] = await Promise.all([nextEvent(a, 'established'), nextEvent(b, 'established')]);

    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] },
        { type: 'next-hop', value: '127.0.0.1' },
      ],
      nlri: [{ prefix: '203.0.113.0/24' }],
    };
    const received = nextEvent(b, 'update');
    assert.equal(a.sendUpdateBytes(tsCodec.encodeMessage(update, session.encode)), true);
    const [result] = await received;
    assert.deepEqual(result, { message: update });

    const refresh = nextEvent(a, 'route-refresh');
    b.sendRouteRefresh('ipv4-unicast');
    const [message] = await refresh;
    assert.deepEqual(message, { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 });

    const downB = nextEvent(b, 'down');
    a.automaticStop(maximumPrefixesReached('ipv4-unicast', 100));
    const [report] = await downB;
    assert.deepEqual(
      [report.received?.code, report.received?.subcode, report.received?.data],
      [6, 1, '00010100000064'],
      'Cease/1 with AFI, SAFI and the limit (RFC 4486 section 4)',
    );
  } finally {
    await cleanup.run();
  }
});

/** A port free on `address` now: listened on, then closed. */
async function freePort(address: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('connections leave from the configured local address and port, by net.connect and by the addon', async () => {
  for (const extra of [{}, { ttl: 2 }]) {
    const cleanup = new Cleanup();
    try {
      const server = await cleanup.peerServer(B);
      const localPort = await freePort(A);
      const driver = cleanup.driver(
        loopbackPeer({ remoteAddress: B, remotePort: server.port, localAddress: A, localPort, ...extra }),
      );
      driver.start();
      const peer = await server.next();
      assert.equal(peer.socket.remoteAddress, A, JSON.stringify(extra));
      assert.equal(peer.socket.remotePort, localPort, JSON.stringify(extra));
      await peer.next('open');
    } finally {
      await cleanup.run();
    }
  }
});
