/**
 * The batch hot path: hash each flow's key in place and look its hash up in the policy's table.
 * Words, seeds and hashes are 32-bit, so the loop runs on Math.imul without BigInt.
 */
import { keyWords, STRIDE } from './flow-layout.ts';
import type { FlowBatch, HashConfig, SelectionTable } from './types.ts';
import { xxh32Words } from './xxh32.ts';

/** The XXH32 of every flow's key, as docs/ecmp.md lays it out. */
export function hashBatch(flows: FlowBatch, hash: HashConfig, out = new Uint32Array(flows.count)): Uint32Array {
  const stride = STRIDE[flows.family];
  const words = keyWords(flows.family, hash.fields);
  const seed = hash.seed | 0;
  for (let i = 0, at = 0; i < flows.count; i++, at += stride) out[i] = xxh32Words(flows.words, at, words, seed);
  return out;
}

/** The next-hop index of every flow: `entries[xxh32(key) % entries.length]`. */
export function selectBatch(table: SelectionTable, flows: FlowBatch, hash: HashConfig, out = new Uint32Array(flows.count)): Uint32Array {
  const stride = STRIDE[flows.family];
  const words = keyWords(flows.family, hash.fields);
  const seed = hash.seed | 0;
  const { entries } = table;
  const size = entries.length;
  for (let i = 0, at = 0; i < flows.count; i++, at += stride) out[i] = entries[xxh32Words(flows.words, at, words, seed) % size];
  return out;
}
