/**
 * Connection collisions (RFC 4271 section 6.8) against a raw peer that holds both connections: the
 * driver's own (to the peer's test server) and the peer's (to the driver's listener). The OPENs
 * arrive in the order each case says, and the connection the rules keep is the one left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotificationMessage } from '../wire/types.ts';
import { Cleanup, loopbackPeer, nextEvent, rawOpen, until } from './driver-testing.ts';

const DRIVER = '127.0.0.1';
const PEER = '127.0.0.5';

interface Case {
  name: string;
  /** The peer's BGP Identifier; the driver's is 192.0.2.1. */
  peerId: string;
  /** The connection whose OPEN arrives first: the driver's (`ours`) or the peer's (`theirs`). */
  firstOpen: 'ours' | 'theirs';
  /** The connection left: the one the speaker with the higher identifier opened. */
  survivor: 'ours' | 'theirs';
}

const cases: Case[] = [
  { name: 'higher peer id, OPEN on ours first', peerId: '192.0.2.9', firstOpen: 'ours', survivor: 'theirs' },
  { name: 'higher peer id, OPEN on theirs first', peerId: '192.0.2.9', firstOpen: 'theirs', survivor: 'theirs' },
  { name: 'lower peer id, OPEN on ours first', peerId: '10.0.0.1', firstOpen: 'ours', survivor: 'ours' },
  { name: 'lower peer id, OPEN on theirs first', peerId: '10.0.0.1', firstOpen: 'theirs', survivor: 'ours' },
];

for (const { name, peerId, firstOpen, survivor } of cases) {
  test(`collision: ${name} -> ${survivor} stays`, async () => {
    const cleanup = new Cleanup();
    try {
      const server = await cleanup.peerServer(PEER);
      const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
      const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, localAddress: DRIVER, remotePort: server.port }));
      listener.addPeer(driver);
      const downs: unknown[] = [];
      driver.on('down', (down) => downs.push(down));
      let establishments = 0;
      driver.on('established', () => establishments++);

      driver.start();
      const ours = await server.next();
      await ours.next('open');
      const theirs = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, PEER);
      await theirs.next('open');
      assert.equal(driver.connectionCount, 2, 'both connections run');

      const open = rawOpen(65002, peerId);
      const [first, second] = firstOpen === 'ours' ? [ours, theirs] : [theirs, ours];
      first.send(open);
      await first.next('keepalive');
      second.send(open);
      const [kept, closed] = survivor === 'ours' ? [ours, theirs] : [theirs, ours];
      const cease = (await closed.next('notification')) as NotificationMessage;
      assert.deepEqual([cease.code, cease.subcode], [6, 7], 'Cease/7 Connection Collision Resolution');
      await closed.closed();

      const established = nextEvent(driver, 'established');
      kept.send({ type: 'keepalive' });
      await established;
      assert.equal(driver.state, 'Established');
      assert.equal(driver.connectionCount, 1);
      assert.equal(driver.socket?.remotePort, kept.socket.localPort, 'the kept connection carries the session');
      assert.equal(establishments, 1);
      assert.deepEqual(downs, [], 'a collision is no session down');
    } finally {
      await cleanup.run();
    }
  });
}

test('a third connection from the peer is refused while two run', async () => {
  const cleanup = new Cleanup();
  try {
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const port = listener.addresses()[0].port;
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, passive: true }));
    listener.addPeer(driver);
    driver.start();
    const first = await cleanup.rawPeer(DRIVER, port, PEER);
    await first.next('open');
    const second = await cleanup.rawPeer(DRIVER, port, PEER);
    await second.next('open');
    const third = await cleanup.rawPeer(DRIVER, port, PEER);
    await third.closed();
    assert.equal(driver.connectionCount, 2);
  } finally {
    await cleanup.run();
  }
});

test('a new connection while Established loses to the session (CollisionDetectEstablishedState off)', async () => {
  const cleanup = new Cleanup();
  try {
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const port = listener.addresses()[0].port;
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, passive: true }));
    listener.addPeer(driver);
    driver.start();
    const session = await cleanup.rawPeer(DRIVER, port, PEER);
    const up = nextEvent(driver, 'established');
    await session.establish(rawOpen(65002, '192.0.2.9'));
    await up;

    const newcomer = await cleanup.rawPeer(DRIVER, port, PEER);
    await newcomer.next('open');
    newcomer.send(rawOpen(65002, '192.0.2.9'));
    const cease = (await newcomer.next('notification')) as NotificationMessage;
    assert.deepEqual([cease.code, cease.subcode], [6, 7]);
    await newcomer.closed();
    assert.equal(driver.state, 'Established');
    assert.equal(driver.socket?.remotePort, session.socket.localPort);
    assert.equal(driver.connectionCount, 1);
  } finally {
    await cleanup.run();
  }
});

test("the driver's connection closes while the peer's runs: the peer's carries the session", async () => {
  const cleanup = new Cleanup();
  try {
    const server = await cleanup.peerServer(PEER);
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, localAddress: DRIVER, remotePort: server.port }));
    listener.addPeer(driver);
    const downs: unknown[] = [];
    driver.on('down', (down) => downs.push(down));
    driver.start();
    const ours = await server.next();
    await ours.next('open');
    const theirs = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, PEER);
    await theirs.next('open');

    ours.destroy();
    await until(() => driver.connectionCount === 1, 'the closed connection gone');
    const up = nextEvent(driver, 'established');
    theirs.send(rawOpen(65002, '192.0.2.9'));
    await theirs.next('keepalive');
    theirs.send({ type: 'keepalive' });
    await up;
    assert.equal(driver.socket?.remotePort, theirs.socket.localPort);
    assert.deepEqual(downs, []);
    // It carries the peer's FSM too: not passive, so after a failure it dials again.
    const down = nextEvent(driver, 'down');
    theirs.destroy();
    await down;
    await server.next();
  } finally {
    await cleanup.run();
  }
});
