/**
 * BgpPeer timers as numbers. OpenELB's schema types them as strings (GoBGP's protobuf JSON writes
 * uint64 fields as text), so an OpenELB manifest says `holdTime: "90"`; Porter takes that and `90`.
 */
import type { TimerValue } from './types.ts';

/** The seconds a timer field holds, or undefined when it is absent or not a whole non-negative number. */
export function timerSeconds(value: TimerValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^[0-9]{1,10}$/.test(value)) return Number(value);
  return undefined;
}
