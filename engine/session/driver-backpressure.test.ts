/**
 * Write-side backpressure: a peer that stops reading. UPDATE bytes keep being accepted without
 * blocking; Node's buffer stays near its high-water mark while the rest waits, uncopied, in the
 * driver's queue; everything arrives, in order, once the peer reads again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/ts-codec.ts';
import { ManualClock } from './clock.ts';
import { Cleanup, loopbackPeer, nextEvent, rawOpen, until } from './driver-testing.ts';

const DRIVER = '127.0.0.1';
const PEER = '127.0.0.7';

/** One UPDATE announcing 250 prefixes: about a kilobyte. */
function updateBytes(): Uint8Array {
  const nlri = Array.from({ length: 250 }, (_, i) => ({ prefix: `10.${i >> 8}.${i & 0xff}.0/24` }));
  return tsCodec.encodeMessage({
    type: 'update',
    withdrawn: [],
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] },
      { type: 'next-hop', value: '192.0.2.1' },
    ],
    nlri,
  });
}

test('a peer that does not read: writes queue without blocking or loss, and drain when it reads', async () => {
  const cleanup = new Cleanup();
  try {
    const clock = new ManualClock();
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, passive: true }), { clock });
    listener.addPeer(driver);
    driver.start();
    const peer = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, PEER);
    const up = nextEvent(driver, 'established');
    await peer.establish(rawOpen(65002, '192.0.2.2'));
    await up;

    peer.socket.pause();
    peer.countOnly();
    const start = peer.bytesReceived;
    const bytes = updateBytes();
    const count = 20_000;
    for (let i = 0; i < count; i++) assert.equal(driver.sendUpdateBytes(bytes), true);
    const total = count * bytes.length;

    const socket = driver.socket;
    assert.ok(socket !== undefined);
    assert.equal(driver.writable, false, 'the socket pushed back');
    assert.ok(driver.queuedBytes > 0, 'the rest waits in the queue');
    assert.ok(
      socket.writableLength <= socket.writableHighWaterMark + bytes.length,
      `Node's buffer holds ${socket.writableLength} octets, about its high-water mark`,
    );
    assert.ok(driver.queuedBytes + socket.writableLength <= total);

    const drained = nextEvent(driver, 'drain', 20_000);
    peer.socket.resume();
    await drained;
    await until(() => peer.bytesReceived - start === total, `all ${total} octets at the peer`, 20_000);
    assert.equal(driver.queuedBytes, 0);
    assert.equal(driver.writable, true);
    assert.equal(driver.state, 'Established');
  } finally {
    await cleanup.run();
  }
});

test('UPDATE bytes are refused, not queued, unless Established', async () => {
  const cleanup = new Cleanup();
  try {
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: PEER, passive: true }), { clock: new ManualClock() });
    assert.equal(driver.sendUpdateBytes(updateBytes()), false);
    driver.start();
    assert.equal(driver.sendUpdateBytes(updateBytes()), false);
    assert.equal(driver.queuedBytes, 0);
  } finally {
    await cleanup.run();
  }
});
