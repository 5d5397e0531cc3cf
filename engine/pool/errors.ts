/** The pool's failures as coded values, made in one place. */
import { WireEncodeError } from '../wire/errors.ts';
import type { PoolError, PoolErrorCode } from './types.ts';

/** A PoolError. */
export function poolError(code: PoolErrorCode, message: string): PoolError {
  return { code, message };
}

/** What a task threw, as a code: the codec's WireEncodeError is `encode-failed`, anything else `internal`. */
export function thrownError(error: unknown): PoolError {
  if (error instanceof WireEncodeError) return poolError('encode-failed', error.message);
  return poolError('internal', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** A rejection of the pool itself (a worker that died, a pool being destroyed), as a code. */
export function poolRejection(error: unknown, closed: boolean): PoolError {
  const message = error instanceof Error ? error.message : String(error);
  return poolError(closed ? 'pool-closed' : 'worker-failed', message);
}
