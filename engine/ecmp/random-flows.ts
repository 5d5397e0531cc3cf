/**
 * Reproducible batches of random flows, for property tests and benchmarks: addresses and ports
 * from a seeded xorshift32 generator, protocol TCP or UDP, laid out as flow-layout.ts says.
 */
import { STRIDE } from './flow-layout.ts';
import type { FlowBatch, FlowFamily } from './types.ts';

/** A batch of `count` flows of one family, the same for the same `seed` (not 0). */
export function randomFlows(family: FlowFamily, count: number, seed: number): FlowBatch {
  const stride = STRIDE[family];
  const words = new Uint32Array(count * stride);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  for (let at = stride - 2; at < words.length; at += stride) words[at] = words[at] & 1 ? 17 : 6;
  return { family, count, words };
}
