/**
 * testdata/wire/malformed.jsonl: malformed messages and the error each must give
 * (docs/wire-errors.md), through the TypeScript codec.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tsCodec } from './ts-codec.ts';
import type { SessionContext, WireError } from './types.ts';

interface MalformedVector {
  name: string;
  context: SessionContext;
  hex: string;
  error: WireError;
}

const path = join(import.meta.dirname, '..', '..', 'testdata', 'wire', 'malformed.jsonl');

if (!existsSync(path)) {
  test('malformed message vectors', { skip: `${path} does not exist yet` }, () => {});
} else {
  const vectors = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MalformedVector);
  for (const vector of vectors) {
    test(`malformed: ${vector.name}`, () => {
      const decoded = tsCodec.decodeMessage(Buffer.from(vector.hex, 'hex'), vector.context);
      assert.deepStrictEqual(decoded.error, vector.error);
    });
  }
}
