/**
 * The engine's batch work, each batch placed by dispatch.ts: in a piscina worker, or on the main
 * thread on the native or TypeScript implementation. Callers get the same values either way, and
 * failures as coded values.
 *
 * Ownership: a batch that goes to a worker moves there. The ArrayBuffers behind the typed arrays
 * given (UPDATE bytes, route columns, rank offsets, flow words) are detached when they span their
 * whole buffer; a view into a larger buffer is copied first, so its neighbours are not lost.
 * Selection tables are copied, since callers keep them for many batches. Attribute sets are values:
 * their records are kept by set object (set-records.ts), so a set changed after a batch is not seen.
 */
import { Piscina } from 'piscina';
import { selectEcmp, type EcmpEngine, type FlowBatch, type HashConfig, type SelectionTable } from '../ecmp/index.ts';
import { selectCodec, type WireCodec } from '../wire/index.ts';
import type { AttributeSet, RouteColumns, RouteDecodeResult, SessionContext } from '../wire/types.ts';
import type { PoolConfig } from './config.ts';
import { choosePlacement, CROSSOVER, type DispatchState } from './dispatch.ts';
import { poolError, poolRejection, thrownError } from './errors.ts';
import { rankBatch } from './rank-batch.ts';
import { packRecord, unpackRecord } from './records.ts';
import { packSets } from './set-records.ts';
import { transferList } from './transfer.ts';
import type {
  DecodeRoutesMetadata,
  DecodeRoutesRequest,
  DecodeRoutesResponseValue,
  EncodeRoutesRequest,
  HashFlowsRequest,
  Placement,
  PoolError,
  PoolResult,
  PoolTask,
  RankBatch,
  RankBatchResult,
  RankDestinationsRequest,
  TaskResponse,
} from './types.ts';
import { checkColumns, checkFlows, checkOffsets } from './validate.ts';

/** The export of worker-bootstrap.mjs that runs each task. */
const TASK_EXPORT: Record<PoolTask, string> = {
  'decode-routes': 'decodeRoutes',
  'encode-routes': 'encodeRoutes',
  'rank-destinations': 'rankDestinations',
  'hash-flows': 'hashFlows',
};

const WORKER = new URL('./worker-bootstrap.mjs', import.meta.url).href;

/** Which implementation runs and on how many worker threads (0: the pool is off), for logs and metrics. */
export interface PoolInfo {
  implementation: 'native' | 'ts';
  threads: number;
}

export interface PoolOptions {
  /** Told about a worker that failed outside a batch (it is replaced; its batch answers `worker-failed`). */
  onWorkerError?: (error: PoolError) => void;
  /** Batch sizes from which each task goes to the pool, replacing dispatch.ts's CROSSOVER (for benchmarks and tests). */
  crossover?: DispatchState['crossover'];
  /**
   * Start every thread now. By default a thread starts with the first batch that needs one, so a
   * process whose batches all stay below the crossovers never pays for a worker; a speaker starts
   * them with itself, so that loading a worker's modules does not delay its first large batch.
   */
  startThreads?: boolean;
}

/**
 * The first `length` elements of `view`, as a view that may move to another thread: `view` itself
 * when it is exactly its whole buffer, else a copy of those elements.
 */
function movable<T extends Uint8Array | Uint32Array>(view: T, length = view.length): T {
  const whole = view.byteOffset === 0 && view.length === length && view.byteLength === view.buffer.byteLength;
  return whole ? view : (view.slice(0, length) as T);
}

function movableColumns(routes: RouteColumns): RouteColumns {
  const { count } = routes;
  return {
    count,
    family: movable(routes.family, count),
    prefixLength: movable(routes.prefixLength, count),
    address: movable(routes.address, count * 16),
    pathId: movable(routes.pathId, count),
    attributeSet: movable(routes.attributeSet, count),
  };
}

/** Runs a main-thread batch, turning a throw into a coded error as a worker would. */
function inline<T>(body: () => T): PoolResult<T> {
  try {
    return { ok: true, value: body() };
  } catch (error) {
    return { ok: false, error: thrownError(error) };
  }
}

/** The pool and the main thread's implementations, behind one batch API. */
export class EnginePool {
  readonly #codec: WireCodec;
  readonly #ecmp: EcmpEngine;
  readonly #state: DispatchState;
  readonly #piscina: Piscina | undefined;
  #closed = false;

  private constructor(codec: WireCodec, ecmp: EcmpEngine, config: PoolConfig, options: PoolOptions) {
    this.#codec = codec;
    this.#ecmp = ecmp;
    const threads = config.mode === 'off' ? 0 : config.threads;
    this.#state = { threads, implementation: codec.name, crossover: options.crossover };
    if (threads > 0) {
      this.#piscina = new Piscina({
        filename: WORKER,
        // Threads that started stay, warm for the next large batch.
        minThreads: options.startThreads ? threads : 0,
        maxThreads: threads,
        idleTimeout: Number.POSITIVE_INFINITY,
        // Workers choose their implementation as the main thread did.
        env: { ...process.env, PORTER_IMPL: config.implementation },
      });
      this.#piscina.on('error', (error: unknown) => options.onWorkerError?.(poolRejection(error, false)));
    }
  }

  /** A pool for `config` (see poolConfig); fails when it asks for the native implementation and the addon does not load. */
  static create(config: PoolConfig, options: PoolOptions = {}): { ok: true; value: EnginePool } | { ok: false; error: string } {
    try {
      const codec = selectCodec(config.implementation).codec;
      const ecmp = selectEcmp(config.implementation).engine;
      return { ok: true, value: new EnginePool(codec, ecmp, config, options) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  /** Implementation and worker threads, for `Metrics.setEngineInfo(info.implementation, info.threads)`. */
  info(): PoolInfo {
    return { implementation: this.#state.implementation, threads: this.#state.threads };
  }

  /** The smallest batch of `task` that goes to the pool. */
  placementThreshold(task: PoolTask): number {
    return this.#state.crossover?.[task] ?? CROSSOVER[task][this.#state.implementation];
  }

  /** Where a batch of `size` of `task` would run now. */
  placement(task: PoolTask, size: number): Placement {
    return choosePlacement(task, size, this.#state);
  }

  /** Decodes a burst of UPDATE messages into columns (WireCodec.decodeRoutes). */
  async decodeRoutes(bytes: Uint8Array, context?: SessionContext): Promise<PoolResult<RouteDecodeResult>> {
    if (this.placement('decode-routes', bytes.byteLength) !== 'pool') return inline(() => this.#codec.decodeRoutes(bytes, context));
    const request: DecodeRoutesRequest = { bytes: movable(bytes), context: packRecord(context) };
    const answer = await this.#run<DecodeRoutesResponseValue>('decode-routes', request, [request.bytes, request.context]);
    if (!answer.ok) return answer;
    return { ok: true, value: { routes: answer.value.routes, ...unpackRecord<DecodeRoutesMetadata>(answer.value.metadata) } };
  }

  /** Encodes routes into UPDATE messages for an update group (WireCodec.encodeRoutes). */
  async encodeRoutes(routes: RouteColumns, attributeSets: AttributeSet[], context?: SessionContext): Promise<PoolResult<Uint8Array>> {
    const invalid = checkColumns(routes);
    if (invalid) return { ok: false, error: invalid };
    if (this.placement('encode-routes', routes.count) !== 'pool') {
      return inline(() => this.#codec.encodeRoutes(routes, attributeSets, context));
    }
    const columns = movableColumns(routes);
    const request: EncodeRoutesRequest = { routes: columns, attributeSets: packSets(attributeSets), context: packRecord(context) };
    const buffers = [columns.family, columns.prefixLength, columns.address, columns.pathId, columns.attributeSet, request.attributeSets, request.context];
    return this.#run('encode-routes', request, buffers);
  }

  /** Ranks many destinations' candidate paths: best path, multipath set, and why each other path lost. */
  async rankDestinations(batch: RankBatch): Promise<PoolResult<RankBatchResult>> {
    const invalid = checkOffsets(batch.offsets, batch.paths.length);
    if (invalid) return { ok: false, error: invalid };
    if (this.placement('rank-destinations', batch.paths.length) !== 'pool') return inline(() => rankBatch(batch));
    const request: RankDestinationsRequest = {
      offsets: movable(batch.offsets),
      metadata: packRecord({ paths: batch.paths, options: batch.options }),
    };
    return this.#run('rank-destinations', request, [request.offsets, request.metadata]);
  }

  /** The next-hop index of every flow against a selection table (EcmpEngine.selectBatch). */
  async selectNextHops(table: SelectionTable, flows: FlowBatch, hash: HashConfig): Promise<PoolResult<Uint32Array>> {
    const invalid = checkFlows(table, flows);
    if (invalid) return { ok: false, error: invalid };
    if (this.placement('hash-flows', flows.count) !== 'pool') return inline(() => this.#ecmp.selectBatch(table, flows, hash));
    const request: HashFlowsRequest = { table, flows: { ...flows, words: movable(flows.words) }, hash };
    return this.#run('hash-flows', request, [request.flows.words]);
  }

  /** Stops the workers; batches still queued answer `pool-closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#piscina?.destroy();
  }

  async #run<T>(task: PoolTask, request: object, views: ArrayBufferView[]): Promise<PoolResult<T>> {
    if (this.#closed || this.#piscina === undefined) return { ok: false, error: poolError('pool-closed', 'the worker pool is closed') };
    try {
      return (await this.#piscina.run(request, { name: TASK_EXPORT[task], transferList: transferList(...views) })) as TaskResponse<T>;
    } catch (error) {
      return { ok: false, error: poolRejection(error, this.#closed) };
    }
  }
}

/** How the startup line counts each task's batches. */
const SHORT_UNIT: Record<PoolTask, string> = { 'decode-routes': 'bytes', 'encode-routes': 'routes', 'rank-destinations': 'paths', 'hash-flows': 'flows' };

/** The startup line that says where batches run, for the tasks the process hands the pool (all by default). */
export function describePool(pool: EnginePool, tasks: readonly PoolTask[] = ['decode-routes', 'encode-routes', 'rank-destinations', 'hash-flows']): string {
  const { implementation, threads } = pool.info();
  const runs = implementation === 'native' ? 'native (Rust addon)' : 'TypeScript';
  if (threads === 0) return `worker pool: off; batches run on the main thread, ${runs}`;
  const from = (task: PoolTask) => {
    const threshold = pool.placementThreshold(task);
    return Number.isFinite(threshold) ? `${task} from ${threshold.toLocaleString('en-US')} ${SHORT_UNIT[task]}` : `${task} never`;
  };
  return `worker pool: ${threads} thread${threads === 1 ? '' : 's'}, ${runs} in each; to the pool: ` + tasks.map(from).join(', ');
}
