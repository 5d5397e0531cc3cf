/** An Eip's status conditions, from the IPAM's verdict on the pool. */
import type { Condition, EipStatus } from '../api/types.ts';
import type { PoolReport } from '../ipam/ipam.ts';

const REASONS: Record<PoolReport['state'], string> = {
  ready: 'Allocating',
  disabled: 'Disabled',
  invalid: 'InvalidAddress',
  overlap: 'Overlap',
  unsupported: 'UnsupportedProtocol',
};

/**
 * The Ready condition: True while the pool hands out addresses. Its lastTransitionTime moves only
 * when the status does, as metav1.Condition requires, so rewriting an unchanged pool writes nothing.
 */
export function poolConditions(report: PoolReport | undefined, previous: Condition[] | undefined, now: Date): Condition[] {
  const status = report?.state === 'ready' ? 'True' : 'False';
  const reason = report === undefined ? 'Unknown' : REASONS[report.state];
  const message = report?.message ?? 'not yet evaluated';
  const before = previous?.find((condition) => condition.type === 'Ready');
  const lastTransitionTime = before?.status === status ? before.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, 'Z');
  return [{ type: 'Ready', status, reason, message, lastTransitionTime }];
}

/** Whether writing `next` would change what the API holds. */
export function sameStatus(current: EipStatus | undefined, next: EipStatus): boolean {
  return JSON.stringify(normalise(current ?? {})) === JSON.stringify(normalise(next));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, normalise(inner)]),
  );
}
