/**
 * Every message that crosses between the main thread and a pool worker, in one place. Requests and
 * responses are plain data: typed arrays travel in transfer lists, structured metadata (attribute
 * sets, wire errors, paths, options) as msgpackr records (records.ts). A worker never throws across
 * the thread boundary: an Error loses its class and fields in postMessage, so failures come back
 * as a `PoolError` with a code.
 */
import type { FlowBatch, HashConfig, SelectionTable } from '../ecmp/types.ts';
import type { PathRanking, PathSource } from '../rib/path.ts';
import type { RankOptions } from '../rib/best-path/types.ts';
import type { AttributeSet, Family, RouteColumns, RouteDecodeResult } from '../wire/types.ts';

/** The batch tasks of the pool; each has one worker file, `<task>.worker.ts`. */
export type PoolTask = 'decode-routes' | 'encode-routes' | 'rank-destinations' | 'hash-flows';

/** Where one batch runs: a pool worker, or the main thread on the native or the TypeScript implementation. */
export type Placement = 'pool' | 'native' | 'ts';

/** Why a batch failed, as a code that survives postMessage. */
export type PoolErrorCode =
  /** The codec refused to encode a value (WireEncodeError). */
  | 'encode-failed'
  /** The request is malformed: wrong column lengths, unknown family, a table index out of range. */
  | 'invalid-input'
  /** The worker died or was terminated before answering. */
  | 'worker-failed'
  /** The pool was closed before the batch ran. */
  | 'pool-closed'
  /** Anything else a task threw; `message` says what. */
  | 'internal';

/** A failure as a value. */
export interface PoolError {
  code: PoolErrorCode;
  message: string;
}

/** An expected failure, as a value. */
export type PoolResult<T> = { ok: true; value: T } | { ok: false; error: PoolError };

/** What a worker answers: its value, or a coded error. */
export type TaskResponse<T> = { ok: true; value: T } | { ok: false; error: PoolError };

/** decode-routes: a burst of UPDATE bytes (transferred) and the session's context (a record). */
export interface DecodeRoutesRequest {
  bytes: Uint8Array;
  /** msgpackr record of `SessionContext | undefined`. */
  context: Uint8Array;
}

/** The metadata of a bulk decode that is not columns. */
export interface DecodeRoutesMetadata {
  attributeSets: AttributeSet[];
  endOfRib: Family[];
  errors: RouteDecodeResult['errors'];
  consumed: number;
}

/** decode-routes answer: the columns (transferred) and the rest as a record. */
export interface DecodeRoutesResponseValue {
  routes: RouteColumns;
  /** msgpackr record of `DecodeRoutesMetadata`. */
  metadata: Uint8Array;
}

/** encode-routes: the columns (transferred), the attribute sets and the context as records. */
export interface EncodeRoutesRequest {
  routes: RouteColumns;
  /** msgpackr records of each `AttributeSet`, end to end (set-records.ts); transferred. */
  attributeSets: Uint8Array;
  /** msgpackr record of `SessionContext | undefined`. */
  context: Uint8Array;
}

/** encode-routes answer: the UPDATE messages, concatenated. */
export type EncodeRoutesResponseValue = Uint8Array;

/**
 * A candidate path as ranking reads it: its source, ADD-PATH identifier and ranking values.
 * Attributes and next hops stay behind: no tie-breaker reads them (engine/rib/path.ts computes
 * every ranked value when the path is made).
 */
export interface RankPath {
  source: PathSource;
  pathId: number;
  ranking: PathRanking;
}

/**
 * Many destinations' candidate paths, flattened: destination d owns paths
 * `offsets[d] .. offsets[d + 1] - 1`.
 */
export interface RankBatch {
  paths: RankPath[];
  /** destinations + 1 entries, non-decreasing, first 0, last `paths.length`. */
  offsets: Uint32Array;
  options: RankOptions;
}

/** The metadata of a rank request. */
export interface RankMetadata {
  paths: RankPath[];
  options: RankOptions;
}

/** rank-destinations: the offsets (transferred) and paths and options as a record. */
export interface RankDestinationsRequest {
  offsets: Uint32Array;
  /** msgpackr record of `RankMetadata`. */
  metadata: Uint8Array;
}

/** Tie-breaker code of the best path in `RankBatchResult.reason` (others are indices into CHAIN). */
export const BEST_REASON = 255;

/**
 * The ranking of every destination, as columns of path indices (indices into the batch's `paths`).
 * `reason[p]` is the CHAIN index of the tie-breaker path p lost at, or BEST_REASON; `against[p]` is
 * the path that eliminated it, -1 for the best path and when no path is valid.
 */
export interface RankBatchResult {
  /** Per destination: its best path, or -1 when none is valid. */
  best: Int32Array;
  /** destinations + 1 entries: destination d's multipath set is `multipath[multipathOffsets[d] ..]`. */
  multipathOffsets: Uint32Array;
  /** The best path first, then the paths sharing traffic with it, in order of preference. */
  multipath: Uint32Array;
  reason: Uint8Array;
  against: Int32Array;
}

/** hash-flows: a selection table (copied, since callers keep it), flows (transferred) and the hash. */
export interface HashFlowsRequest {
  table: SelectionTable;
  flows: FlowBatch;
  hash: HashConfig;
}

/** hash-flows answer: the next-hop index of every flow. */
export type HashFlowsResponseValue = Uint32Array;
