/**
 * Checks on a batch before it runs, on whichever thread runs it: the codecs and ECMP engines read
 * typed arrays by index and would read past a short column rather than fail.
 */
import { STRIDE, type FlowBatch, type SelectionTable } from '../ecmp/index.ts';
import type { RouteColumns } from '../wire/types.ts';
import { poolError } from './errors.ts';
import type { PoolError } from './types.ts';

/** Why the columns cannot be encoded, or undefined. */
export function checkColumns(routes: RouteColumns): PoolError | undefined {
  const { count } = routes;
  if (!Number.isInteger(count) || count < 0) return poolError('invalid-input', `route count ${count} is not a count`);
  const short = (['family', 'prefixLength', 'pathId', 'attributeSet'] as const).find((column) => routes[column].length < count);
  if (short !== undefined) return poolError('invalid-input', `column ${short} holds fewer than ${count} routes`);
  if (routes.address.length < count * 16) return poolError('invalid-input', `column address holds fewer than ${count} routes`);
  return undefined;
}

/** Why the offsets do not cut `pathCount` paths into destinations, or undefined. */
export function checkOffsets(offsets: Uint32Array, pathCount: number): PoolError | undefined {
  if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== pathCount) {
    return poolError('invalid-input', `offsets must run from 0 to the ${pathCount} paths`);
  }
  for (let d = 1; d < offsets.length; d++) {
    if (offsets[d] < offsets[d - 1]) return poolError('invalid-input', `offsets decrease at destination ${d - 1}`);
  }
  return undefined;
}

/** Why the flows cannot be hashed against the table, or undefined. */
export function checkFlows(table: SelectionTable, flows: FlowBatch): PoolError | undefined {
  if (table.entries.length === 0) return poolError('invalid-input', 'the selection table is empty');
  const stride = STRIDE[flows.family];
  if (stride === undefined) return poolError('invalid-input', `unknown flow family ${String(flows.family)}`);
  if (flows.words.length < flows.count * stride) return poolError('invalid-input', `the flow words hold fewer than ${flows.count} flows`);
  return undefined;
}
