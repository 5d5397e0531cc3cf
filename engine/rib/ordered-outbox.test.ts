/** OrderedOutbox: bytes and actions leave in the order given, whenever encodings in flight finish. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderedOutbox } from './ordered-outbox.ts';

function deferred(): { promise: Promise<Uint8Array>; resolve(bytes: Uint8Array): void; reject(error: Error): void } {
  let resolve!: (bytes: Uint8Array) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<Uint8Array>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const bytes = (...values: number[]) => Uint8Array.from(values);
const settle = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const written: string[] = [];
  const errors: string[] = [];
  const outbox = new OrderedOutbox(
    (chunk) => written.push([...chunk].join(',')),
    (error) => errors.push(error.message),
  );
  return { outbox, written, errors };
}

test('bytes ready while nothing waits go straight through', () => {
  const { outbox, written } = recorder();
  outbox.send(bytes(1));
  outbox.send(bytes());
  outbox.send(bytes(2, 3));
  assert.deepEqual(written, ['1', '2,3']);
  assert.equal(outbox.waiting, 0);
});

test('everything behind an encoding in flight waits for it, actions included, and then leaves in order', async () => {
  const { outbox, written } = recorder();
  const first = deferred();
  const second = deferred();
  outbox.send(bytes(1));
  outbox.send(first.promise);
  outbox.send(bytes(2));
  outbox.whenSent(() => written.push('action'));
  outbox.send(second.promise);
  outbox.send(bytes(3));
  assert.deepEqual(written, ['1']);
  second.resolve(bytes(20));
  await settle();
  assert.deepEqual(written, ['1'], 'a later encoding finishing first waits its turn');
  first.resolve(bytes(10));
  await settle();
  assert.deepEqual(written, ['1', '10', '2', 'action', '20', '3']);
  assert.equal(outbox.waiting, 0);
});

test('a failed encoding is reported and skipped; the rest still goes', async () => {
  const { outbox, written, errors } = recorder();
  const failing = deferred();
  outbox.send(failing.promise);
  outbox.send(bytes(4));
  failing.reject(new Error('attribute too long'));
  await settle();
  assert.deepEqual(errors, ['attribute too long']);
  assert.deepEqual(written, ['4']);
});

test('closing drops what waits and what comes later, even an encoding that finishes afterwards', async () => {
  const { outbox, written } = recorder();
  const pending = deferred();
  outbox.send(pending.promise);
  outbox.send(bytes(5));
  outbox.close();
  pending.resolve(bytes(6));
  outbox.send(bytes(7));
  outbox.whenSent(() => written.push('action'));
  await settle();
  assert.deepEqual(written, []);
});

test('an action that sends runs its bytes in place', () => {
  const { outbox, written } = recorder();
  outbox.whenSent(() => outbox.send(bytes(8)));
  outbox.send(bytes(9));
  assert.deepEqual(written, ['8', '9']);
});

test('an encoding that fails while queued, or after the outbox closed, is no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const { outbox, written, errors } = recorder();
    const head = deferred();
    const queued = deferred();
    outbox.send(head.promise);
    outbox.send(queued.promise);
    queued.reject(new Error('queued failure'));
    await settle();
    head.resolve(bytes(1));
    await settle();
    assert.deepEqual(written, ['1']);
    assert.deepEqual(errors, ['queued failure']);

    const closing = recorder();
    const dropped = deferred();
    closing.outbox.send(deferred().promise);
    closing.outbox.send(dropped.promise);
    closing.outbox.close();
    dropped.reject(new Error('after close'));
    await settle();
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
