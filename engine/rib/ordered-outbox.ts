/**
 * One session's outbound UPDATE stream, kept in the order the RIB produced it although some of its
 * parts are encoded on pool workers and arrive later. Bytes that are ready go straight through
 * while nothing waits ahead of them; otherwise they queue behind the encoding in flight, and so do
 * actions that must follow them (the EoRR that closes an enhanced route refresh, RFC 7313 section
 * 4). Closed with its session, it drops whatever is still to come: those bytes were meant for a
 * connection that is gone, and the next session is sent its table anew.
 */
import type { OutboundBytes } from './outbound-bytes.ts';

type Item = { bytes: OutboundBytes } | { action: () => void };

export class OrderedOutbox {
  readonly #write: (bytes: Uint8Array) => void;
  readonly #onError: (error: Error) => void;
  readonly #waiting: Item[] = [];
  #closed = false;
  #flushing = false;

  /** `write` takes bytes in order; `onError` hears of an encoding that failed (its bytes are skipped). */
  constructor(write: (bytes: Uint8Array) => void, onError: (error: Error) => void) {
    this.#write = write;
    this.#onError = onError;
  }

  /** Items queued behind an encoding in flight. */
  get waiting(): number {
    return this.#waiting.length;
  }

  send(bytes: OutboundBytes): void {
    // A failure is reported when the bytes reach the head; until then (or if the outbox closes
    // first) this keeps it from counting as an unhandled rejection, which would end the process.
    if (bytes instanceof Promise) bytes.catch(() => {});
    this.#enqueue({ bytes });
  }

  /** Runs `action` once everything sent before it is written. */
  whenSent(action: () => void): void {
    this.#enqueue({ action });
  }

  close(): void {
    this.#closed = true;
    this.#waiting.length = 0;
  }

  #enqueue(item: Item): void {
    if (this.#closed) return;
    this.#waiting.push(item);
    if (this.#waiting.length === 1 && !this.#flushing) this.#flush();
  }

  /** Writes from the head until it meets bytes still being encoded, which resume it when they arrive. */
  #flush(): void {
    this.#flushing = true;
    try {
      while (!this.#closed && this.#waiting.length > 0) {
        const head = this.#waiting[0];
        if ('action' in head) {
          this.#waiting.shift();
          head.action();
          continue;
        }
        if (head.bytes instanceof Promise) {
          const pending = head.bytes;
          pending.then(
            (bytes) => this.#settle(pending, bytes),
            (error: unknown) => {
              this.#onError(error instanceof Error ? error : new Error(String(error)));
              this.#settle(pending, new Uint8Array(0));
            },
          );
          return;
        }
        this.#waiting.shift();
        if (head.bytes.length > 0) this.#write(head.bytes);
      }
    } finally {
      this.#flushing = false;
    }
  }

  #settle(pending: Promise<Uint8Array>, bytes: Uint8Array): void {
    const head = this.#waiting[0];
    if (this.#closed || head === undefined || !('bytes' in head) || head.bytes !== pending) return;
    this.#waiting[0] = { bytes };
    this.#flush();
  }
}
