import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { WriteQueue } from './driver-write-queue.ts';

/** A socket stand-in that records each system call's worth of writes: one chunk, or one writev. */
function recordingSocket(): { socket: Socket; calls: number[][] } {
  const calls: number[][] = [];
  const sink = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, done) {
      calls.push([chunk.length]);
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.map(({ chunk }) => (chunk as Buffer).length));
      done();
    },
  });
  return { socket: sink as unknown as Socket, calls };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WriteQueue', () => {
  it('hands the UPDATEs of one turn to the socket in one writev, in order', async () => {
    const { socket, calls } = recordingSocket();
    const queue = new WriteQueue(socket, () => undefined);
    queue.writeCoalesced(new Uint8Array(3));
    queue.writeCoalesced(new Uint8Array(4));
    queue.write(new Uint8Array(5));
    assert.deepEqual(calls, []);
    await tick();
    assert.deepEqual(calls, [[3, 4, 5]]);
    queue.writeCoalesced(new Uint8Array(6));
    await tick();
    assert.deepEqual(calls, [[3, 4, 5], [6]]);
  });
  it('writes other messages at once', () => {
    const { socket, calls } = recordingSocket();
    new WriteQueue(socket, () => undefined).write(new Uint8Array(2));
    assert.deepEqual(calls, [[2]]);
  });
  it('keeps what the socket pushed back, then writes it together once drained, and says so', async () => {
    const { socket, calls } = recordingSocket();
    let drained = 0;
    const queue = new WriteQueue(socket, () => drained++);
    for (const size of [10, 10, 1, 2]) queue.writeCoalesced(new Uint8Array(size));
    assert.equal(queue.writable, false);
    assert.equal(queue.queuedBytes, 3);
    await tick();
    await tick();
    assert.deepEqual(calls, [[10, 10], [1, 2]]);
    assert.equal(drained, 1);
    assert.equal(queue.writable, true);
  });
});
