import type { ResolvedContext } from './context.ts';
import type { RouteDecodeResult } from './types.ts';

export function decodeRouteColumns(_bytes: Uint8Array, _context: ResolvedContext): RouteDecodeResult {
  throw new Error('decodeRoutes is not available yet');
}
