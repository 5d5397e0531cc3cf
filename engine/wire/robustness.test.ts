/**
 * Nothing a peer sends may throw past the codec: random octets and mutated vectors go through every
 * decode operation. A message that decodes without error encodes to octets that decode to it again.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { tsCodec } from './ts-codec.ts';
import type { SessionContext } from './types.ts';

const vectorsDir = join(import.meta.dirname, '..', '..', 'testdata', 'wire', 'vectors');
const seeds: { hex: string; context: SessionContext }[] = readdirSync(vectorsDir)
  .filter((name) => name.endsWith('.jsonl'))
  .flatMap((name) => readFileSync(join(vectorsDir, name), 'utf8').split('\n').filter((line) => line.trim() !== ''))
  .map((line) => JSON.parse(line) as { hex: string; context: SessionContext })
  .filter((vector) => vector.hex.length < 4000);

const contexts = fc.record(
  {
    fourOctetAs: fc.boolean(),
    addPath: fc.subarray(['ipv4-unicast', 'ipv6-unicast']),
    extendedMessage: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A vector's octets with a few octets overwritten, inserted or removed, its length field kept right or not. */
const mutated = fc
  .record({
    seed: fc.integer({ min: 0, max: seeds.length - 1 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 }),
    fixLength: fc.boolean(),
  })
  .map(({ seed, edits, fixLength }) => {
    const bytes = [...Buffer.from(seeds[seed].hex, 'hex')];
    for (const [position, value, kind] of edits) {
      const at = position % (bytes.length + 1);
      if (kind === 'set' && at < bytes.length) bytes[at] = value;
      if (kind === 'insert') bytes.splice(at, 0, value);
      if (kind === 'delete' && at < bytes.length) bytes.splice(at, 1);
    }
    if (fixLength && bytes.length >= 19 && bytes.length <= 0xffff) {
      bytes[16] = bytes.length >> 8;
      bytes[17] = bytes.length & 0xff;
    }
    return { bytes: Uint8Array.from(bytes), context: seeds[seed].context };
  });

function decodesEverywhere(bytes: Uint8Array, context: SessionContext): void {
  const one = tsCodec.decodeMessage(bytes, context);
  assert.ok(one.message !== undefined || one.error !== undefined);
  const stream = tsCodec.decodeStream(Buffer.concat([bytes, bytes]), context);
  assert.ok(stream.consumed <= 2 * bytes.length);
  const routes = tsCodec.decodeRoutes(Buffer.concat([bytes, bytes]), context);
  assert.ok(routes.consumed <= 2 * bytes.length);
  if (one.message !== undefined && one.error === undefined) {
    const again = tsCodec.decodeMessage(tsCodec.encodeMessage(one.message, context), context);
    assert.deepStrictEqual(again, one);
  }
}

test('random octets never throw', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), contexts, (bytes, context) => decodesEverywhere(bytes, context)),
    { numRuns: 2000 },
  );
});

test('random octets behind a valid header never throw', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 300 }), contexts, (type, body, context) => {
      const bytes = new Uint8Array(19 + body.length);
      bytes.fill(0xff, 0, 16);
      bytes[16] = bytes.length >> 8;
      bytes[17] = bytes.length & 0xff;
      bytes[18] = type;
      bytes.set(body, 19);
      decodesEverywhere(bytes, context);
    }),
    { numRuns: 5000 },
  );
});

test('mutated vectors never throw, and what decodes cleanly re-encodes', () => {
  fc.assert(
    fc.property(mutated, ({ bytes, context }) => decodesEverywhere(bytes, context)),
    { numRuns: 5000 },
  );
});
