import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadNativeCodec } from './native-codec.ts';
import { WireEncodeError } from './errors.ts';
import { COLUMN_FAMILY, WITHDRAW } from './types.ts';

const KEEPALIVE = Uint8Array.from([...new Array<number>(16).fill(0xff), 0x00, 0x13, 0x04]);

function codec() {
  const loaded = loadNativeCodec();
  if ('error' in loaded) assert.fail(loaded.error);
  return loaded;
}

test('the native codec loads and decodes a KEEPALIVE', () => {
  const native = codec();
  assert.equal(native.name, 'native');
  assert.deepEqual(native.decodeMessage(KEEPALIVE), { message: { type: 'keepalive' } });
  assert.deepEqual(native.decodeStream(KEEPALIVE.subarray(0, 18)), { results: [], consumed: 0 });
  assert.deepEqual(native.encodeMessage({ type: 'keepalive' }), KEEPALIVE);
});

test('encodeMessage throws WireEncodeError with the reason', () => {
  assert.throws(
    () => codec().encodeMessage({ type: 'open', version: 4, myAs: 70000, holdTime: 90, bgpId: '192.0.2.1', capabilities: [] }),
    (error: unknown) => error instanceof WireEncodeError && /70000/.test(error.message),
  );
});

test('route columns cross the boundary both ways', () => {
  const native = codec();
  const address = new Uint8Array(32);
  address.set([198, 51, 100], 0);
  address.set([203, 0, 113], 16);
  const routes = {
    count: 2,
    family: Uint8Array.of(COLUMN_FAMILY['ipv4-unicast'], COLUMN_FAMILY['ipv4-unicast']),
    prefixLength: Uint8Array.of(24, 24),
    address,
    pathId: Uint32Array.of(0, 0),
    attributeSet: Uint32Array.of(0, WITHDRAW),
  };
  const sets = [{ nextHops: ['192.0.2.1'], attributes: [{ type: 'origin' as const, value: 'igp' as const }, { type: 'as-path' as const, segments: [] }] }];
  const bytes = native.encodeRoutes(routes, sets);
  const decoded = native.decodeRoutes(bytes);
  assert.equal(decoded.consumed, bytes.length);
  assert.deepEqual(decoded.errors, []);
  assert.deepEqual(decoded.attributeSets, sets);
  assert.equal(decoded.routes.count, 2);
  assert.deepEqual([...decoded.routes.attributeSet], [WITHDRAW, 0]);
  assert.deepEqual([...decoded.routes.address.subarray(0, 3)], [203, 0, 113]);
  assert.ok(decoded.routes.family instanceof Uint8Array && !Buffer.isBuffer(decoded.routes.family));
  assert.throws(() => native.encodeRoutes({ ...routes, attributeSet: Uint32Array.of(5, 5) }, sets), WireEncodeError);
});
