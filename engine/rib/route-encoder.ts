/**
 * Where an update group's routes are encoded: a batch large enough to pay for the trip goes to a
 * pool worker (engine/pool; the sizes are dispatch.ts's crossovers, measured by bench/pool.ts), so
 * a table dump to a thousand peers does not hold the main thread; anything smaller is encoded
 * here, at once. A batch the pool cannot take (a worker died, the pool closed) is encoded here too.
 */
import type { Placement, PoolResult } from '../pool/types.ts';
import type { WireCodec } from '../wire/index.ts';
import type { AttributeSet, RouteColumns, SessionContext } from '../wire/types.ts';
import type { OutboundBytes } from './outbound-bytes.ts';
import { toColumns, type ColumnRow } from './route-columns.ts';

/** The part of EnginePool the RIB uses. */
export interface RouteEncoder {
  placement(task: 'encode-routes', routes: number): Placement;
  encodeRoutes(routes: RouteColumns, attributeSets: AttributeSet[], context?: SessionContext): Promise<PoolResult<Uint8Array>>;
}

/** The UPDATEs of `rows`: bytes now, or later from the pool. */
export function encodeRows(
  rows: readonly ColumnRow[],
  sets: AttributeSet[],
  context: SessionContext,
  codec: WireCodec,
  encoder: RouteEncoder | undefined,
): OutboundBytes {
  if (encoder === undefined || encoder.placement('encode-routes', rows.length) !== 'pool') {
    return codec.encodeRoutes(toColumns(rows), sets, context);
  }
  // The columns move to the worker, so a fallback builds them again.
  return encoder
    .encodeRoutes(toColumns(rows), sets, context)
    .then((answer) => (answer.ok ? answer.value : codec.encodeRoutes(toColumns(rows), sets, context)));
}
