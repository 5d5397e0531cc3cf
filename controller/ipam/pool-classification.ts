/**
 * Turns the Eips into pools and says what each is: invalid, unsupported, overlapping an older one,
 * disabled, or ready. OpenELB's admission webhook refuses overlapping Eips; Porter may run without
 * a webhook (or read manifests), so it decides here: the older Eip keeps working and the newer is
 * reported, so that creating a bad Eip never moves a running Service.
 */
import { validateEip } from '../api/validation.ts';
import { parseAddressRange, rangeSize, rangesOverlap } from '../api/address-range.ts';
import type { Eip } from '../api/types.ts';
import { Pool } from './pool.ts';
import type { PoolReport } from './types.ts';

function createdAt(eip: Eip): number {
  const stamp = eip.metadata?.creationTimestamp as Date | string | undefined;
  // The typed client gives a Date, custom objects arrive as JSON text, manifests have none (newest).
  const time = stamp instanceof Date ? stamp.getTime() : stamp === undefined ? NaN : Date.parse(stamp);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

function olderFirst(a: Eip, b: Eip): number {
  const name = (eip: Eip) => eip.metadata?.name ?? '';
  return createdAt(a) - createdAt(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/** The pools of these Eips, in the Eips' order, and one report per Eip. */
export function classifyEips(eips: readonly Eip[]): { pools: Pool[]; reports: PoolReport[] } {
  const byEip = new Map<Eip, Pool>();
  const accepted: Pool[] = [];
  for (const eip of [...eips].sort(olderFirst)) {
    // A manifest reaches us without the apiserver's schema check: vet every field before use.
    const valid = validateEip(eip);
    if (!valid.ok) {
      const problems = valid.problems.map(({ field, message }) => `${field}: ${message}`).join('; ');
      byEip.set(eip, new Pool(eip, undefined, 'invalid', `invalid: ${problems}`));
      continue;
    }
    const parsed = parseAddressRange(eip.spec.address ?? '');
    if (!parsed.ok) {
      byEip.set(eip, new Pool(eip, undefined, 'invalid', `address ${eip.spec.address} is invalid: ${parsed.error}`));
      continue;
    }
    const range = parsed.value;
    const protocol = eip.spec.protocol ?? 'bgp';
    if (protocol !== 'bgp') {
      byEip.set(eip, new Pool(eip, range, 'unsupported', `protocol ${protocol} is not supported; Porter announces over BGP`));
      continue;
    }
    const older = accepted.find((pool) => pool.range !== undefined && rangesOverlap(pool.range, range));
    if (older) {
      const message = `address ${eip.spec.address} overlaps Eip ${older.name} (${older.eip.spec.address}), which is older and keeps its addresses`;
      byEip.set(eip, new Pool(eip, range, 'overlap', message));
      continue;
    }
    const described = `IPv${range.family} ${eip.spec.address}, ${rangeSize(range)} addresses`;
    const pool = eip.spec.disable
      ? new Pool(eip, range, 'disabled', `${described}; disabled: keeps the addresses it gave, gives no new ones`)
      : new Pool(eip, range, 'ready', described);
    accepted.push(pool);
    byEip.set(eip, pool);
  }
  const pools = eips.map((eip) => byEip.get(eip) as Pool);
  return { pools, reports: pools.map(({ name, state, message }) => ({ name, state, message })) };
}
