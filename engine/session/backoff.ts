/**
 * Timer durations that grow with repeated failures, and the jitter RFC 4271 section 10 asks for so
 * that many sessions do not act in step. The random value comes from the caller: this stays pure.
 */
import type { Backoff } from './types.ts';

/** RFC 4271 section 10: the suggested jitter multiplies a timer by a factor uniform in [0.75, 1]. */
const JITTER_LOW = 0.75;

/** `base * 2^uses`, capped: the duration after `uses` consecutive uses. */
export function backoffSeconds(backoff: Backoff, uses: number): number {
  return Math.min(backoff.cap, backoff.base * 2 ** Math.min(uses, 32));
}

/** `seconds` scaled by the jitter factor of `random` (in [0, 1)); unchanged without one. Millisecond precision. */
export function withJitter(seconds: number, random: number | undefined): number {
  if (random === undefined) return seconds;
  const factor = JITTER_LOW + (1 - JITTER_LOW) * Math.min(Math.max(random, 0), 1);
  return Math.round(seconds * factor * 1000) / 1000;
}
