/**
 * Writes the shared ECMP vectors of testdata/ecmp from the TypeScript reference:
 *
 *   node --import tsx engine/ecmp/generate-vectors.ts
 *
 * The Rust core must reproduce them (native/core/tests/ecmp.rs), and vectors.test.ts holds the
 * reference to them. xxh32.jsonl also pins the hash to the reference C implementation: its values
 * agree with python-xxhash 4.1 (libxxhash), checked when the file was written.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { packFlows, type Flow } from './flow-layout.ts';
import { permutationOf } from './policies/maglev.ts';
import { selectBatch, hashBatch } from './select.ts';
import { buildTable } from './ts-ecmp.ts';
import type { FlowFamily, HashFields, NextHopGroup, PolicyConfig, SelectionTable } from './types.ts';
import { xxh32Bytes, xxh32Words } from './xxh32.ts';

const directory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testdata', 'ecmp');
const HEAD = 32;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const group = (weights: number[], prefix = 'nh'): NextHopGroup => ({
  nextHops: weights.map((weight, i) => ({ name: `${prefix}${i}`, weight })),
});
const addresses = (count: number): NextHopGroup => ({
  nextHops: Array.from({ length: count }, (_, i) => ({ name: `192.0.${2 + (i >> 8)}.${i & 255}`, weight: 1 })),
});
const without = (from: NextHopGroup, index: number): NextHopGroup => ({ nextHops: from.nextHops.filter((_, i) => i !== index) });

function hashVectors(): object[] {
  const texts = ['', 'a', 'abc', 'abcd', 'Nobody inspects the spammish repetition', '192.0.2.1', '2001:db8::1', 'node-a.example'];
  const seeds = [0, 1, 0x9e3779b1, 0xffffffff];
  return texts.flatMap((text) => seeds.map((seed) => {
    const bytes = new TextEncoder().encode(text);
    return { hex: hex(bytes), seed, hash: xxh32Bytes(bytes, seed) };
  }));
}

/** A table's entries summarised: its length, first entries, entries per next hop and a hash of all. */
function summary(table: SelectionTable, nextHops: number) {
  const counts: number[] = new Array(nextHops).fill(0);
  for (const entry of table.entries) counts[entry]++;
  return {
    length: table.entries.length,
    head: [...table.entries.subarray(0, HEAD)],
    counts,
    xxh32: xxh32Words(table.entries, 0, table.entries.length, 0),
  };
}

function tableVector(name: string, config: PolicyConfig, groups: NextHopGroup[]): object {
  let previous: { group: NextHopGroup; table: Uint32Array } | undefined;
  const steps = groups.map((stepGroup) => {
    const built = buildTable(stepGroup, config, previous);
    if (!built.ok) return { group: stepGroup, error: built.error };
    previous = { group: stepGroup, table: built.value.entries };
    return { group: stepGroup, ...summary(built.value, stepGroup.nextHops.length) };
  });
  return { name, config, steps };
}

function tableVectors(): object[] {
  const eight = group([1, 1, 1, 1, 1, 1, 1, 1]);
  const thousand = addresses(1000);
  return [
    tableVector('modulo, 4 equal', { policy: 'modulo' }, [group([1, 1, 1, 1]), without(group([1, 1, 1, 1]), 1)]),
    tableVector('modulo, bandwidth weights 10/25/100 Gbit/s in Mbit/s', { policy: 'modulo' }, [group([10_000, 25_000, 100_000])]),
    tableVector('modulo, weights too fine-grained', { policy: 'modulo' }, [group([1, 2 ** 20])]),
    tableVector('resilient, 8 equal in 64 buckets: leave, rejoin, join, reweigh', { policy: 'resilient', size: 64 }, [
      eight,
      without(eight, 3),
      eight,
      { nextHops: [...eight.nextHops, { name: 'nh8', weight: 2 }] },
      { nextHops: eight.nextHops.map((nextHop, i) => ({ ...nextHop, weight: i < 4 ? 3 : 1 })) },
    ]),
    tableVector('resilient, weighted 1..5 in 100 buckets, leave of the heaviest', { policy: 'resilient', size: 100 }, [
      group([1, 2, 3, 4, 5]),
      without(group([1, 2, 3, 4, 5]), 4),
      group([1, 2, 3, 4, 5]),
    ]),
    tableVector('resilient, 1000 of 65536 buckets, one leaves and joins', { policy: 'resilient' }, [
      thousand,
      without(thousand, 500),
      thousand,
    ]),
    tableVector('resilient, fewer buckets than next hops', { policy: 'resilient', size: 4 }, [eight]),
    tableVector('maglev, 3 in 7', { policy: 'maglev', size: 7 }, [group([1, 1, 1], 'backend-'), without(group([1, 1, 1], 'backend-'), 1)]),
    tableVector('maglev, weighted 1..5 in 251', { policy: 'maglev', size: 251 }, [group([1, 2, 3, 4, 5])]),
    tableVector('maglev, 1000 in 65537, one leaves', { policy: 'maglev' }, [thousand, without(thousand, 500)]),
    tableVector('maglev, size not prime', { policy: 'maglev', size: 65_536 }, [eight]),
    tableVector('group errors', { policy: 'modulo' }, [
      { nextHops: [] },
      { nextHops: [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }] },
      { nextHops: [{ name: 'a', weight: 0 }] },
      { nextHops: [{ name: '', weight: 1 }] },
      { nextHops: [{ name: 'a', weight: 0xffffffff }, { name: 'b', weight: 1 }] },
    ]),
  ];
}

function permutationVectors(): object[] {
  return [7, 251, 65_537].flatMap((size) =>
    ['backend-0', 'backend-1', 'backend-2', '192.0.2.1', '2001:db8::1'].map((name) => ({ name, size, ...permutationOf(name, size) })),
  );
}

/** Deterministic flows over the documentation ranges, varied in every field. */
function flowsOf(family: FlowFamily, count: number): Flow[] {
  return Array.from({ length: count }, (_, i) => ({
    src: family === 'ipv4' ? `198.51.100.${(i * 37) % 256}` : `2001:db8:${i.toString(16)}::${(i * 37).toString(16)}`,
    dst: family === 'ipv4' ? `203.0.113.${(i * 11) % 256}` : `2001:db8:ffff::${(i * 11 + 1).toString(16)}`,
    proto: i % 3 === 0 ? 17 : 6,
    sport: (i * 7919) % 65_536,
    dport: [80, 443, 53, 8080][i % 4],
  }));
}

function selectionVectors(): object[] {
  const configs: [string, NextHopGroup, PolicyConfig][] = [
    ['modulo weighted', group([1, 2, 3]), { policy: 'modulo' }],
    ['resilient 5 in 128', group([1, 1, 1, 1, 1]), { policy: 'resilient', size: 128 }],
    ['maglev 5 in 251', group([1, 1, 1, 1, 1]), { policy: 'maglev', size: 251 }],
  ];
  const vectors: object[] = [];
  for (const [label, selectionGroup, config] of configs) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      for (const fields of ['five-tuple', 'l3'] as HashFields[]) {
        for (const seed of [0, 0xdeadbeef]) {
          const flows = flowsOf(family, 16);
          const batch = packFlows(family, flows);
          const table = buildTable(selectionGroup, config);
          if (!batch.ok || !table.ok) throw new Error(`${label}: cannot build the vector`);
          const hash = { fields, seed };
          vectors.push({
            name: `${label}, ${family}, ${fields}, seed ${seed}`,
            group: selectionGroup,
            config,
            hash,
            family,
            flows,
            words: [...batch.value.words],
            hashes: [...hashBatch(batch.value, hash)],
            indices: [...selectBatch(table.value, batch.value, hash)],
          });
        }
      }
    }
  }
  return vectors;
}

function write(name: string, lines: object[]): void {
  writeFileSync(join(directory, name), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
}

write('xxh32.jsonl', hashVectors());
write('maglev-permutations.jsonl', permutationVectors());
write('tables.jsonl', tableVectors());
write('selection.jsonl', selectionVectors());
