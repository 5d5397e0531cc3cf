/**
 * The shared vectors of testdata/ecmp through the TypeScript reference (the Rust core runs the same
 * files in native/core/tests/ecmp.rs): XXH32 values, Maglev permutations, tables step by step
 * (resilient tables rebuilt from the previous step), and the next-hop index of every flow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { packFlows, type Flow } from './flow-layout.ts';
import { permutationOf } from './policies/maglev.ts';
import { hashBatch, selectBatch } from './select.ts';
import { buildTable } from './ts-ecmp.ts';
import type { FlowFamily, HashConfig, NextHopGroup, PolicyConfig, PreviousTable } from './types.ts';
import { xxh32Bytes, xxh32Words } from './xxh32.ts';

const directory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testdata', 'ecmp');

function lines<T>(name: string): T[] {
  return readFileSync(join(directory, name), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}

interface TableStep {
  group: NextHopGroup;
  error?: string;
  length?: number;
  head?: number[];
  counts?: number[];
  xxh32?: number;
}

interface SelectionVector {
  name: string;
  group: NextHopGroup;
  config: PolicyConfig;
  hash: HashConfig;
  family: FlowFamily;
  flows: Flow[];
  words: number[];
  hashes: number[];
  indices: number[];
}

test('XXH32 vectors', () => {
  const vectors = lines<{ hex: string; seed: number; hash: number }>('xxh32.jsonl');
  assert.ok(vectors.length >= 30);
  for (const { hex, seed, hash } of vectors) assert.equal(xxh32Bytes(Buffer.from(hex, 'hex'), seed), hash, `${hex} seed ${seed}`);
});

test('words hash like their little-endian bytes', () => {
  const words = new Uint32Array([0xc0000201, 0xc6336401, 6, (1234 << 16) | 443, 5, 6, 7, 8, 9, 10]);
  for (let count = 0; count <= words.length; count++) {
    assert.equal(xxh32Words(words, 0, count, 7), xxh32Bytes(new Uint8Array(words.buffer, 0, count * 4), 7), `${count} words`);
  }
});

test('Maglev permutation vectors', () => {
  for (const { name, size, offset, skip } of lines<{ name: string; size: number; offset: number; skip: number }>('maglev-permutations.jsonl')) {
    assert.deepEqual(permutationOf(name, size), { offset, skip }, `${name} in ${size}`);
  }
});

test('table vectors, step by step', () => {
  const vectors = lines<{ name: string; config: PolicyConfig; steps: TableStep[] }>('tables.jsonl');
  assert.equal(vectors.length, 12);
  for (const { name, config, steps } of vectors) {
    let previous: PreviousTable | undefined;
    for (const [number, step] of steps.entries()) {
      const place = `${name}, step ${number}`;
      const built = buildTable(step.group, config, previous);
      if (step.error !== undefined) {
        assert.deepEqual(built, { ok: false, error: step.error }, place);
        continue;
      }
      assert.ok(built.ok, `${place}: ${built.ok ? '' : built.error}`);
      const { entries } = built.value;
      assert.equal(entries.length, step.length, place);
      assert.deepEqual([...entries.subarray(0, 32)], step.head, place);
      const counts: number[] = new Array(step.group.nextHops.length).fill(0);
      for (const entry of entries) counts[entry]++;
      assert.deepEqual(counts, step.counts, place);
      assert.equal(xxh32Words(entries, 0, entries.length, 0), step.xxh32, place);
      previous = { group: step.group, table: entries };
    }
  }
});

test('selection vectors: flow records, hashes and next-hop indices', () => {
  const vectors = lines<SelectionVector>('selection.jsonl');
  assert.equal(vectors.length, 24);
  for (const vector of vectors) {
    const batch = packFlows(vector.family, vector.flows);
    assert.ok(batch.ok, vector.name);
    assert.deepEqual([...batch.value.words], vector.words, vector.name);
    const table = buildTable(vector.group, vector.config);
    assert.ok(table.ok, vector.name);
    assert.deepEqual([...hashBatch(batch.value, vector.hash)], vector.hashes, vector.name);
    assert.deepEqual([...selectBatch(table.value, batch.value, vector.hash)], vector.indices, vector.name);
  }
});
