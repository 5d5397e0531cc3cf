/**
 * Every shared vector file, testdata/wire/vectors/*.jsonl (written for either codec), through the
 * TypeScript codec: decoding gives `result` exactly, field order included, and a message decoded
 * without error encodes back to the same octets.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tsCodec } from './ts-codec.ts';
import type { DecodeResult, SessionContext } from './types.ts';

interface Vector {
  name: string;
  context: SessionContext;
  hex: string;
  result: DecodeResult;
}

const vectorsDir = join(import.meta.dirname, '..', '..', 'testdata', 'wire', 'vectors');
const files = readdirSync(vectorsDir)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();

test('there are vector files', () => {
  assert.ok(files.length > 0, `no .jsonl files in ${vectorsDir}`);
});

for (const file of files) {
  const vectors = readFileSync(join(vectorsDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Vector);
  for (const vector of vectors) {
    test(`${file}: ${vector.name}`, () => {
      const bytes = Buffer.from(vector.hex, 'hex');
      const decoded = tsCodec.decodeMessage(bytes, vector.context);
      assert.deepStrictEqual(decoded, vector.result);
      assert.equal(JSON.stringify(decoded), JSON.stringify(vector.result), 'field order differs');
      if (vector.result.error === undefined && vector.result.message !== undefined) {
        const encoded = tsCodec.encodeMessage(vector.result.message, vector.context);
        assert.equal(Buffer.from(encoded).toString('hex'), vector.hex);
      }
    });
  }
}
