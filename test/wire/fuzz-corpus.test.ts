/**
 * The fuzz corpora (testdata/fuzz/<target>/, grown by scripts/fuzz.sh against the Rust codec) as a
 * differential test: every input decodes alike in both codecs through every decoder, and what
 * decodes cleanly encodes to the same bytes in both.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SessionContext } from '../../engine/wire/types.ts';
import { nativeSkipReason, tsCodec } from './codecs.ts';
import { codecs, decodeEverywhere, toHex } from './compare.ts';

const corpora = join(import.meta.dirname, '..', '..', 'testdata', 'fuzz');
const TARGETS = ['decode_message', 'decode_stream', 'decode_routes', 'round_trip'];

/** The context octet of native/core/fuzz/src/lib.rs, then the bytes to decode. */
function split(input: Buffer): [SessionContext, Buffer] {
  const flags = input.length > 0 ? input[0] : 0;
  const addPath = [...(flags & 0x04 ? ['ipv4-unicast'] : []), ...(flags & 0x08 ? ['ipv6-unicast'] : [])];
  return [{ fourOctetAs: (flags & 0x01) === 0, addPath, extendedMessage: (flags & 0x02) !== 0 }, input.subarray(1)];
}

for (const target of TARGETS) {
  test(`corpus ${target}`, { skip: nativeSkipReason }, () => {
    const names = readdirSync(join(corpora, target));
    assert.ok(names.length > 0, `no corpus for ${target}`);
    for (const name of names) {
      const [context, bytes] = split(readFileSync(join(corpora, target, name)));
      decodeEverywhere(bytes, context);
      const decoded = tsCodec.decodeMessage(bytes, context);
      if (decoded.message === undefined || decoded.error !== undefined) continue;
      const encodings = codecs.map((codec) => toHex(codec.encodeMessage(decoded.message!, context)));
      for (const other of encodings.slice(1)) assert.equal(other, encodings[0], `${target}/${name} encodes alike`);
    }
  });
}
