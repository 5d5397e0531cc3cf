/**
 * What an update group hands a member: UPDATE bytes, or bytes still being encoded on a pool
 * worker (engine/pool), which the member writes in their turn (OrderedOutbox).
 */
export type OutboundBytes = Uint8Array | Promise<Uint8Array>;

/** Whether there is anything to write: bytes in flight count, since their length is not known yet. */
export function hasBytes(bytes: OutboundBytes): boolean {
  return bytes instanceof Promise || bytes.length > 0;
}
