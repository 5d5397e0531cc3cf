/**
 * One listener serving several peers: malformed messages from one peer get the NOTIFICATION the
 * codec's error names and end only that peer's session; RFC 7606's weaker errors keep it; unknown
 * addresses are refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/ts-codec.ts';
import type { NotificationMessage, UpdateMessage } from '../wire/types.ts';
import type { PeerDriver } from './driver.ts';
import { Cleanup, loopbackPeer, nextEvent, RawPeer, rawOpen, within } from './driver-testing.ts';
import type { Listener } from './listener.ts';

const DRIVER = '127.0.0.1';
const FAULTY = '127.0.0.3';
const STEADY = '127.0.0.4';

/** A message with the header filled in: marker of ones and the true length unless told otherwise. */
function message(type: number, body: number[], header: { marker?: number; length?: number } = {}): Buffer {
  const bytes = Buffer.alloc(19 + body.length, header.marker ?? 0xff);
  bytes.writeUInt16BE(header.length ?? bytes.length, 16);
  bytes[18] = type;
  Buffer.from(body).copy(bytes, 19);
  return bytes;
}

interface Malformed {
  name: string;
  bytes: Buffer;
  code: number;
  subcode: number;
  data: string;
}

const malformed: Malformed[] = [
  { name: 'marker not all ones', bytes: message(4, [], { marker: 0 }), code: 1, subcode: 1, data: '' },
  { name: 'KEEPALIVE of 20 octets', bytes: message(4, [0]), code: 1, subcode: 2, data: '0014' },
  { name: 'message type 9', bytes: message(9, []), code: 1, subcode: 3, data: '09' },
  { name: 'UPDATE whose withdrawn routes overrun it', bytes: message(2, [0, 0xff, 0, 0]), code: 3, subcode: 1, data: '' },
  {
    name: 'UPDATE with an unrecognized well-known attribute',
    bytes: message(2, [0, 0, 0, 4, 0x40, 0x63, 1, 0]),
    code: 3,
    subcode: 2,
    data: '40630100',
  },
  {
    name: 'ROUTE-REFRESH of 24 octets',
    bytes: message(5, [0, 1, 0, 1, 0]),
    code: 7,
    subcode: 1,
    data: 'ffffffffffffffffffffffffffffffff0018050001000100',
  },
  {
    name: 'OPEN in Established',
    bytes: Buffer.from(tsCodec.encodeMessage(rawOpen(65002, '192.0.2.3'))),
    code: 5,
    subcode: 3,
    data: '',
  },
];

/** A passive driver for `address`, on the listener, Established with a raw peer. */
async function session(cleanup: Cleanup, listener: Listener, address: string): Promise<{ driver: PeerDriver; peer: RawPeer }> {
  const driver = cleanup.driver(loopbackPeer({ remoteAddress: address, passive: true }));
  listener.addPeer(driver);
  driver.start();
  const peer = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, address);
  const up = nextEvent(driver, 'established');
  await peer.establish(rawOpen(65002, '192.0.2.2'));
  await up;
  peer.context = { extendedMessage: true };
  return { driver, peer };
}

test('malformed messages: the right NOTIFICATION on the wire, the other session untouched', async () => {
  const cleanup = new Cleanup();
  try {
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const steady = await session(cleanup, listener, STEADY);
    const steadyDowns: unknown[] = [];
    steady.driver.on('down', (down) => steadyDowns.push(down));

    for (const { name, bytes, code, subcode, data } of malformed) {
      const { driver, peer } = await session(cleanup, listener, FAULTY);
      const down = nextEvent(driver, 'down');
      peer.send(bytes);
      const notification = (await peer.next('notification')) as NotificationMessage;
      assert.deepEqual(
        { code: notification.code, subcode: notification.subcode, data: notification.data },
        { code, subcode, data },
        name,
      );
      const error = tsCodec.decodeMessage(bytes, { extendedMessage: true }).error;
      if (error !== undefined) {
        assert.deepEqual([error.code, error.subcode, error.data], [code, subcode, data], `${name}: as the codec says`);
      }
      const [report] = await down;
      assert.equal(report.wasEstablished, true, name);
      await peer.closed();
      driver.dispose();
    }

    // The other peer's session never noticed: it still answers and receives.
    const update = nextEvent(steady.driver, 'update');
    steady.peer.send({
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', segments: [{ type: 'sequence', asns: [65002] }] },
        { type: 'next-hop', value: '192.0.2.2' },
      ],
      nlri: [{ prefix: '198.51.100.0/24' }],
    });
    const [result] = await update;
    assert.deepEqual((result.message as UpdateMessage).nlri, [{ prefix: '198.51.100.0/24' }]);
    assert.equal(steady.driver.state, 'Established');
    assert.deepEqual(steadyDowns, []);
  } finally {
    await cleanup.run();
  }
});

test('RFC 7606 treat-as-withdraw keeps the session and hands the UPDATE on with its error', async () => {
  const cleanup = new Cleanup();
  try {
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }]);
    const { driver, peer } = await session(cleanup, listener, FAULTY);
    const update = nextEvent(driver, 'update');
    // ORIGIN 5 (RFC 7606 section 7.1), then AS_PATH, NEXT_HOP, and 10.0.0.0/8.
    const attributes = [0x40, 1, 1, 5, 0x40, 2, 0, 0x40, 3, 4, 192, 0, 2, 2];
    peer.send(message(2, [0, 0, 0, attributes.length, ...attributes, 8, 10]));
    const [result, context] = await update;
    assert.equal(result.error?.action, 'treat-as-withdraw');
    assert.deepEqual([result.error?.code, result.error?.subcode], [3, 6]);
    assert.deepEqual((result.message as UpdateMessage).nlri, [{ prefix: '10.0.0.0/8' }]);
    assert.equal(context.extendedMessage, true, 'decoded with the negotiated context');
    assert.equal(driver.state, 'Established');
  } finally {
    await cleanup.run();
  }
});

test('a connection from an address no peer has is closed', async () => {
  const cleanup = new Cleanup();
  try {
    const refused: string[] = [];
    const listener = await cleanup.listener([{ address: DRIVER, port: 0 }], {
      onRefused: (address) => refused.push(address),
    });
    const known = cleanup.driver(loopbackPeer({ remoteAddress: STEADY, passive: true }));
    listener.addPeer(known);
    known.start();
    const stranger = await RawPeer.connect(DRIVER, listener.addresses()[0].port, '127.0.0.9');
    cleanup.add(() => stranger.destroy());
    await within(stranger.closed(), 'the stranger closed');
    // A peer that is configured but stopped (Idle) refuses too (RFC 4271 section 8.2.2).
    await known.stop();
    const early = await cleanup.rawPeer(DRIVER, listener.addresses()[0].port, STEADY);
    await early.closed();
    assert.deepEqual(refused, ['127.0.0.9', STEADY]);
  } finally {
    await cleanup.run();
  }
});
