/**
 * Properties of both codecs over random inputs (fast-check):
 * - every valid message round-trips, decode(encode(m)) = m, and both codecs write the same bytes;
 * - random and damaged bytes never throw, and both codecs give the same results as JSON text,
 *   through decodeMessage, decodeStream and decodeRoutes;
 * - random route columns encode to the same bytes in both codecs (or both refuse), and those bytes
 *   bulk-decode alike.
 * Without the native addon only the TypeScript codec runs, and the comparisons are skipped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { WireEncodeError } from '../../engine/wire/errors.ts';
import type { WireCodec } from '../../engine/wire/types.ts';
import { nativeSkipReason, tsCodec } from './codecs.ts';
import { codecs, decodeEverywhere, toHex } from './compare.ts';
import { contextAndMessage, messageFor, sessionContext } from './property/messages.ts';
import { change, mutate } from './property/mutations.ts';
import { routeBatch } from './property/routes.ts';

if (nativeSkipReason) test('native codec comparisons', { skip: nativeSkipReason }, () => {});

/** Runs per property, sized so the whole file stays within about 20 seconds on two cores. */
const RUNS = { roundTrip: 2000, randomBytes: 3000, mutations: 3000, bulk: 400, bulkMutations: 400 };

const MARKER = new Uint8Array(16).fill(0xff);

/** A header that passes the marker check, a type that is usually known, and random octets. */
const framed = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 255 })), fc.uint8Array({ maxLength: 80 }))
  .map(([type, body]) => {
    const header = Buffer.alloc(3);
    header.writeUInt16BE(19 + body.length);
    header[2] = type;
    return Buffer.concat([MARKER, header, body]);
  });

const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  framed,
  fc.array(framed, { minLength: 2, maxLength: 4 }).map((messages) => Buffer.concat(messages)),
);

test('valid messages round-trip in every codec, and the codecs write the same bytes', () => {
  fc.assert(
    fc.property(contextAndMessage, ([context, message]) => {
      const encodings = codecs.map((codec) => toHex(codec.encodeMessage(message, context)));
      codecs.forEach((codec, i) => {
        assert.deepStrictEqual(codec.decodeMessage(Buffer.from(encodings[i], 'hex'), context), { message }, `${codec.name} round trip`);
      });
      for (const other of encodings.slice(1)) assert.equal(other, encodings[0], 'same bytes from both codecs');
    }),
    { numRuns: RUNS.roundTrip },
  );
});

test('random bytes never throw and decode alike', () => {
  fc.assert(
    fc.property(sessionContext, randomBytes, (context, bytes) => decodeEverywhere(bytes, context)),
    { numRuns: RUNS.randomBytes },
  );
});

test('damaged valid messages and streams never throw and decode alike', () => {
  fc.assert(
    fc.property(
      sessionContext.chain((context) => fc.tuple(fc.constant(context), fc.array(messageFor(context), { minLength: 1, maxLength: 2 }))),
      fc.array(change, { minLength: 1, maxLength: 3 }),
      ([context, messages], changes) => {
        const parts = messages.map((message) => tsCodec.encodeMessage(message, context));
        const bytes = changes.reduce<Uint8Array>((damaged, one) => mutate(damaged, one), Buffer.concat(parts));
        decodeEverywhere(bytes, context);
      },
    ),
    { numRuns: RUNS.mutations },
  );
});

/** The bytes, or the refusal, of one codec's encodeRoutes. */
function encodeRoutes(codec: WireCodec, ...args: Parameters<WireCodec['encodeRoutes']>): { bytes: string } | { refused: string } {
  try {
    return { bytes: toHex(codec.encodeRoutes(...args)) };
  } catch (error) {
    assert.ok(error instanceof WireEncodeError, `${codec.name} threw ${error}, not a WireEncodeError`);
    return { refused: error.message };
  }
}

const contextAndBatch = sessionContext.chain((context) => fc.tuple(fc.constant(context), routeBatch(context)));

test('route columns encode to the same bytes in both codecs, or both refuse, and decode alike', () => {
  fc.assert(
    fc.property(contextAndBatch, ([context, { routes, sets }]) => {
      const outcomes = codecs.map((codec) => encodeRoutes(codec, routes, sets, context));
      for (const other of outcomes.slice(1)) {
        assert.equal('bytes' in other, 'bytes' in outcomes[0], `one codec refused: ${JSON.stringify(outcomes)}`);
        if ('bytes' in other && 'bytes' in outcomes[0]) assert.equal(other.bytes, outcomes[0].bytes);
      }
      const first = outcomes[0];
      if ('bytes' in first) decodeEverywhere(Buffer.from(first.bytes, 'hex'), context);
    }),
    { numRuns: RUNS.bulk },
  );
});

test('damaged bulk encodings decode alike', () => {
  fc.assert(
    fc.property(contextAndBatch, fc.array(change, { minLength: 1, maxLength: 3 }), ([context, { routes, sets }], changes) => {
      const encoded = encodeRoutes(tsCodec, routes, sets, context);
      if (!('bytes' in encoded)) return;
      const bytes = changes.reduce<Uint8Array>((damaged, one) => mutate(damaged, one), Buffer.from(encoded.bytes, 'hex'));
      decodeEverywhere(bytes, context);
    }),
    { numRuns: RUNS.bulkMutations },
  );
});
