/** Framing received bytes: partial messages wait, one message at a time before the OPEN. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/ts-codec.ts';
import type { Message } from '../wire/types.ts';
import { MessageReader } from './driver-reader.ts';
import { rawOpen } from './driver-testing.ts';

const open = rawOpen(65002, '192.0.2.2');
const keepalive: Message = { type: 'keepalive' };
/** An UPDATE whose NLRI carry ADD-PATH identifiers: it reads differently once ADD-PATH is negotiated. */
const addPathUpdate = Buffer.from(
  tsCodec.encodeMessage(
    {
      type: 'update',
      withdrawn: [{ prefix: '10.0.0.0/8', pathId: 7 }],
      attributes: [],
      nlri: [],
    },
    { addPath: ['ipv4-unicast'] },
  ),
);

function bytesOf(...messages: Message[]): Buffer {
  return Buffer.concat(messages.map((message) => tsCodec.encodeMessage(message)));
}

test('a message split across reads is read once it is whole', () => {
  const reader = new MessageReader(tsCodec);
  const bytes = bytesOf(open, keepalive);
  for (const cut of [1, 18, 19, 20, bytes.length - 1]) {
    reader.push(bytes.subarray(0, cut));
    const early = reader.read(undefined, false);
    reader.push(bytes.subarray(cut));
    const all = [...early, ...reader.read(undefined, false)];
    assert.deepEqual(
      all.map((result) => result.message?.type),
      ['open', 'keepalive'],
      `cut at ${cut}`,
    );
    assert.equal(reader.pendingBytes, 0);
  }
});

test('before the OPEN, one message at a time, so the next is read with what the OPEN negotiated', () => {
  const reader = new MessageReader(tsCodec);
  reader.push(Buffer.concat([bytesOf(open), addPathUpdate]));
  const first = reader.read(undefined, true);
  assert.deepEqual(first.map((result) => result.message?.type), ['open']);
  assert.equal(reader.pendingBytes, addPathUpdate.length, 'the UPDATE waits');
  const [update] = reader.read({ addPath: ['ipv4-unicast'] }, false);
  assert.deepEqual(update.message, {
    type: 'update',
    withdrawn: [{ prefix: '10.0.0.0/8', pathId: 7 }],
    attributes: [],
    nlri: [],
  });
});

test('a header error is read at once, even with the rest of the message missing', () => {
  const reader = new MessageReader(tsCodec);
  const header = Buffer.alloc(19, 0xff);
  header.writeUInt16BE(5000, 16);
  header[18] = 2;
  reader.push(header);
  const [result] = reader.read(undefined, true);
  assert.deepEqual([result.error?.code, result.error?.subcode, result.error?.data], [1, 2, '1388']);
});

test('the extended message limit of the session applies', () => {
  // An UPDATE of 5,000 octets withdrawing 10.0.0.0/8 2,488 times and then 0.0.0.0/0.
  const big = Buffer.alloc(5000, 0);
  big.fill(0xff, 0, 16);
  big.writeUInt16BE(5000, 16);
  big[18] = 2;
  big.writeUInt16BE(4977, 19);
  for (let offset = 21; offset < 4997; offset += 2) {
    big[offset] = 8;
    big[offset + 1] = 10;
  }
  const plain = new MessageReader(tsCodec);
  plain.push(big);
  assert.equal(plain.read({}, false)[0].error?.subcode, 2, 'over 4,096 octets without extended messages');
  const extended = new MessageReader(tsCodec);
  extended.push(big);
  const [result] = extended.read({ extendedMessage: true }, false);
  assert.equal(result.error, undefined);
  assert.equal(result.message?.type, 'update');
});
