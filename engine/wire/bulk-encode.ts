import type { ResolvedContext } from './context.ts';
import { WireEncodeError } from './errors.ts';
import type { AttributeSet, RouteColumns } from './types.ts';

export function encodeRouteColumns(_routes: RouteColumns, _sets: AttributeSet[], _context: ResolvedContext): Uint8Array {
  throw new WireEncodeError('encodeRoutes is not available yet');
}
