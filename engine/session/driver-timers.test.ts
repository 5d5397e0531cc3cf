/**
 * The driver's timers on a manual clock, against a raw peer on loopback: keepalives, the hold timer
 * restarted by each message and expiring on a silent peer, zero hold time, the restart backoff.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import type { NotificationMessage } from '../wire/types.ts';
import { ManualClock } from './clock.ts';
import type { PeerDriver } from './driver.ts';
import { Cleanup, loopbackPeer, nextEvent, pause, RawPeer, rawOpen, until } from './driver-testing.ts';

const DRIVER = '127.0.0.1';
const PEER = '127.0.0.6';
/** Jitter factor 1: timers run their full value. */
const noJitter = () => 0.9999999;

function due(clock: ManualClock, timer: string): number | undefined {
  return clock.pending().find(({ name }) => name === timer)?.due;
}

/** A passive driver on a manual clock, Established with a raw peer that proposed `holdTime`. */
async function established(
  cleanup: Cleanup,
  holdTime: number,
): Promise<{ clock: ManualClock; driver: PeerDriver; peer: RawPeer }> {
  const clock = new ManualClock();
  const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
  const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, passive: true, holdTime: 9 }), { clock, random: noJitter });
  listener.addPeer(driver);
  driver.start();
  const peer = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, PEER);
  const up = nextEvent(driver, 'established');
  await peer.establish(rawOpen(65002, '192.0.2.2', holdTime));
  await up;
  return { clock, driver, peer };
}

test('keepalives every third of the hold time; each message restarts the hold timer; silence expires it', async () => {
  const cleanup = new Cleanup();
  try {
    const { clock, driver, peer } = await established(cleanup, 9);
    assert.equal(driver.session?.keepaliveTime, 3);
    clock.advance(3);
    await peer.next('keepalive');
    clock.advance(3);
    await peer.next('keepalive');

    // At 6 s the peer speaks: the hold timer runs 9 s from there.
    peer.send({ type: 'keepalive' });
    await until(() => due(clock, 'HoldTimer') === clock.now() + 9000, 'the hold timer restarted');
    clock.advance(8.9);
    assert.equal(driver.state, 'Established', '8.9 s of silence is within the hold time');

    const down = nextEvent(driver, 'down');
    clock.advance(0.2);
    const [report] = await down;
    assert.equal(report.reason, 'hold-timer-expired');
    assert.equal(report.wasEstablished, true);
    assert.deepEqual([report.sent?.code, report.sent?.subcode], [4, 0]);
    const notification = (await peer.next('notification')) as NotificationMessage;
    assert.deepEqual([notification.code, notification.subcode], [4, 0], 'Hold Timer Expired on the wire');
    await peer.closed();
    assert.equal(driver.state, 'Idle');
  } finally {
    await cleanup.run();
  }
});

test('zero hold time: no keepalives, no hold timer, the session stays', async () => {
  const cleanup = new Cleanup();
  try {
    const { clock, driver, peer } = await established(cleanup, 0);
    assert.equal(driver.session?.holdTime, 0);
    const names = clock.pending().map(({ name }) => name);
    assert.ok(!names.includes('HoldTimer') && !names.includes('KeepaliveTimer'), `timers: ${names.join(', ')}`);
    const before = peer.bytesReceived;
    clock.advance(3600);
    await pause(50);
    assert.equal(driver.state, 'Established');
    assert.equal(peer.bytesReceived, before, 'nothing sent in an hour');
  } finally {
    await cleanup.run();
  }
});

test('a refused connection waits on the IdleHoldTimer, doubling with each failure', async () => {
  const cleanup = new Cleanup();
  try {
    // A port nobody listens on: open a server, note its port, close it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, PEER, resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));

    const clock = new ManualClock();
    const driver = cleanup.driver(
      loopbackPeer({ remoteAddress: PEER, remotePort: port, idleHold: { base: 1, cap: 4 } }),
      { clock, random: noJitter },
    );
    const waits: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const down = nextEvent(driver, 'down');
      if (attempt === 0) driver.start();
      else clock.advance(waits[attempt - 1]);
      const [report] = await down;
      assert.equal(report.reason, 'connection-failed');
      const idleHold = due(clock, 'IdleHoldTimer');
      assert.ok(idleHold !== undefined, 'a restart is scheduled');
      waits.push((idleHold - clock.now()) / 1000);
    }
    assert.deepEqual(waits, [1, 2, 4, 4]);
    await driver.stop();
    assert.deepEqual(clock.pending(), [], 'a stop cancels the pending restart');
  } finally {
    await cleanup.run();
  }
});

/** A driver on a manual clock, connected to a test server of the peer: the raw peer on its side. */
async function dialing(cleanup: Cleanup, overrides: { delayOpenTime: number }) {
  const server = await cleanup.peerServer(PEER);
  const clock = new ManualClock();
  const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, remotePort: server.port, ...overrides }), {
    clock,
    random: noJitter,
  });
  driver.start();
  return { clock, driver, peer: await server.next() };
}

test('DelayOpen: the driver answers the OPEN the peer sends first', async () => {
  const cleanup = new Cleanup();
  try {
    const { clock, driver, peer } = await dialing(cleanup, { delayOpenTime: 5 });
    assert.ok(due(clock, 'DelayOpenTimer') !== undefined);
    await pause(50);
    assert.equal(peer.bytesReceived, 0, 'no OPEN of ours yet');
    const up = nextEvent(driver, 'established');
    await peer.establish(rawOpen(65002, '192.0.2.2'));
    await up;
    assert.equal(due(clock, 'DelayOpenTimer'), undefined);
  } finally {
    await cleanup.run();
  }
});

test('DelayOpen: a silent peer gets our OPEN when the DelayOpenTimer expires', async () => {
  const cleanup = new Cleanup();
  try {
    const { clock, driver, peer } = await dialing(cleanup, { delayOpenTime: 5 });
    clock.advance(4.9);
    await pause(50);
    assert.equal(peer.bytesReceived, 0);
    clock.advance(0.1);
    await peer.next('open');
    assert.equal(driver.state, 'OpenSent');
  } finally {
    await cleanup.run();
  }
});
