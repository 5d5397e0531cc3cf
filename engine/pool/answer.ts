/** How a worker answers: a value whose buffers move back, or a coded error, never a throw. */
import { thrownError } from './errors.ts';
import { moveAnswer } from './transfer.ts';
import type { PoolError, TaskResponse } from './types.ts';

/**
 * Runs a task body: its value goes back with `buffers` in the transfer list; a check that failed
 * or anything thrown goes back as a PoolError.
 */
export function answer<T>(body: () => { value: T; buffers: ArrayBufferView[] } | PoolError): TaskResponse<T> {
  try {
    const outcome = body();
    if ('code' in outcome) return { ok: false, error: outcome };
    return moveAnswer<TaskResponse<T>>({ ok: true, value: outcome.value }, outcome.buffers);
  } catch (error) {
    return { ok: false, error: thrownError(error) };
  }
}
