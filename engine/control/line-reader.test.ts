/** Bounded lines: split across chunks, several in one chunk, and a line too long skipped to its end. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineReader } from './line-reader.ts';

const cases: { name: string; limit: number; chunks: string[]; lines: ({ text: string } | { error: true })[] }[] = [
  { name: 'one line', limit: 10, chunks: ['abc\n'], lines: [{ text: 'abc' }] },
  { name: 'split across chunks', limit: 10, chunks: ['ab', 'c\nde', 'f\n'], lines: [{ text: 'abc' }, { text: 'def' }] },
  { name: 'several in one chunk', limit: 10, chunks: ['a\nb\n\n'], lines: [{ text: 'a' }, { text: 'b' }, { text: '' }] },
  { name: 'exactly the limit', limit: 3, chunks: ['abc\n'], lines: [{ text: 'abc' }] },
  { name: 'too long in one chunk', limit: 3, chunks: ['abcd\nok\n'], lines: [{ error: true }, { text: 'ok' }] },
  { name: 'too long across chunks, reported once', limit: 3, chunks: ['ab', 'cd', 'ef', 'g\nok\n'], lines: [{ error: true }, { text: 'ok' }] },
  { name: 'unfinished line waits', limit: 10, chunks: ['abc'], lines: [] },
];

for (const { name, limit, chunks, lines } of cases) {
  test(`line reader: ${name}`, () => {
    const reader = new LineReader(limit);
    const read = chunks.flatMap((chunk) => reader.push(Buffer.from(chunk)));
    assert.deepEqual(
      read.map((line) => (line.ok ? { text: line.text } : { error: true })),
      lines,
    );
  });
}
