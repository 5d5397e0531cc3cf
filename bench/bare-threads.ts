/**
 * The machine's own ceiling for the pool benchmark: the same batches run by the same codec on N
 * plain worker threads, with no pool, no messages per batch and no copies, each thread looping over
 * its share. Two such threads over one is as much as two pool workers can gain on this machine; the
 * pool's own ratio is read against it.
 */
import { Worker } from 'node:worker_threads';
import type { ImplementationChoice } from '../engine/wire/index.ts';
import type { AttributeSet, RouteColumns } from '../engine/wire/types.ts';

export type BareTask =
  | { task: 'encodeRoutes'; batches: RouteColumns[]; sets: AttributeSet[] }
  | { task: 'decodeRoutes'; batches: Uint8Array[] };

const WORKER = new URL('./bare-thread.worker.mjs', import.meta.url);

/** Threads that each hold their share of the batches (batch i goes to thread i mod N) and run it on request. */
export class BareThreads {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  static async start(threads: number, work: BareTask, implementation: ImplementationChoice): Promise<BareThreads> {
    const workers = Array.from({ length: threads }, (_, k) => {
      const share = (work.batches as unknown[]).filter((_, i) => i % threads === k);
      return new Worker(WORKER, { workerData: { ...work, batches: share, implementation } });
    });
    await Promise.all(workers.map((worker) => reply(worker)));
    return new BareThreads(workers);
  }

  /** Wall nanoseconds for every thread to run its share once. */
  async run(): Promise<number> {
    const start = process.hrtime.bigint();
    const done = this.#workers.map((worker) => reply(worker));
    for (const worker of this.#workers) worker.postMessage('run');
    await Promise.all(done);
    return Number(process.hrtime.bigint() - start);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

function reply(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (message: { error?: string }) => {
      worker.off('error', onError);
      if (message.error) reject(new Error(message.error));
      else resolve();
    });
  });
}
