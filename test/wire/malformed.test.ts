/**
 * testdata/wire/malformed.jsonl against both codecs: each malformed message gives exactly the error
 * docs/wire-errors.md prescribes, a message only when the session survives, and the malformed
 * attribute left out of it; the stream decoder agrees with the message decoder.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Message, SessionContext, WireCodec, WireError } from '../../engine/wire/types.ts';
import { nativeCodec, nativeSkipReason, tsCodec } from './codecs.ts';
import { malformedTable } from './malformed/table.ts';
import { KNOWN_ATTRIBUTES } from './malformed/update-parts.ts';

interface Row {
  name: string;
  context: SessionContext;
  hex: string;
  error: WireError;
}

const tablePath = join(import.meta.dirname, '..', '..', 'testdata', 'wire', 'malformed.jsonl');
const tableText = readFileSync(tablePath, 'utf8');
const rows: Row[] = tableText
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line));

const CODE_OF_TYPE = new Map(KNOWN_ATTRIBUTES.map(({ name, code }) => [name, code]));

/** Reasons whose attribute may legitimately stay in the message: a first occurrence, or none at all. */
const ATTRIBUTE_MAY_REMAIN = new Set(['duplicate-attribute', 'missing-well-known-attribute', 'attribute-overrun']);

function attributeCodes(message: Message): number[] {
  if (message.type !== 'update') return [];
  return message.attributes.map((attribute) => (attribute.type === 'unknown' ? attribute.code : CODE_OF_TYPE.get(attribute.type)!));
}

function checkRow(codec: WireCodec, row: Row): void {
  const bytes = Buffer.from(row.hex, 'hex');
  const result = codec.decodeMessage(bytes, row.context);
  assert.deepEqual(result.error, row.error);
  assert.equal(JSON.stringify(result.error), JSON.stringify(row.error), 'field order of the error');
  const reset = row.error.action === 'session-reset';
  assert.equal(result.message === undefined, reset, reset ? 'no message after a session reset' : 'the message survives');
  if (result.message !== undefined && row.error.attribute !== undefined && !ATTRIBUTE_MAY_REMAIN.has(row.error.reason)) {
    assert.ok(!attributeCodes(result.message).includes(row.error.attribute), 'the attribute at fault is left out');
  }

  const lengthField = bytes.length >= 19 ? bytes.readUInt16BE(16) : -1;
  if (lengthField === bytes.length) {
    const stream = codec.decodeStream(bytes, row.context);
    assert.deepEqual(stream.results, [result]);
    assert.equal(stream.consumed, reset ? 0 : bytes.length);
  }
}

test('the table is what its generator writes', () => {
  assert.equal(tableText, malformedTable(), 'run node --import tsx test/wire/malformed/generate.ts');
});

function suite(codec: WireCodec): void {
  for (const row of rows) {
    test(row.name, () => checkRow(codec, row));
  }
}

describe('ts codec', () => suite(tsCodec));

describe('native codec', { skip: nativeSkipReason }, () => {
  if (nativeCodec !== undefined) suite(nativeCodec);
});
