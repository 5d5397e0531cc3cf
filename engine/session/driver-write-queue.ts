/**
 * Writes to one socket without blocking the event loop and without dropping anything: once
 * `socket.write` answers false (the kernel and Node's buffer are full), messages wait here, by
 * reference, until the socket drains. Node's own buffer then never holds more than about its
 * high-water mark, and what waits can be counted, so the RIB can pace itself on it.
 */
import type { Socket } from 'node:net';

/** Queue slots kept after the head moves past them, before the array is compacted. */
const COMPACT_AFTER = 1024;

export class WriteQueue {
  readonly #socket: Socket;
  readonly #onDrain: () => void;
  /** Slots before `#head` are written and emptied, so their bytes can be collected. */
  #queue: (Uint8Array | undefined)[] = [];
  #head = 0;
  #queuedBytes = 0;
  #blocked = false;
  #corked = false;

  /** `onDrain` runs each time the queue empties after the socket pushed back. */
  constructor(socket: Socket, onDrain: () => void) {
    this.#socket = socket;
    this.#onDrain = onDrain;
    socket.on('drain', this.#drain);
  }

  /** Whether a write now goes straight to the socket. */
  get writable(): boolean {
    return !this.#blocked;
  }

  /** Octets waiting here, not yet handed to the socket. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /**
   * Writes UPDATE messages like `write`, but those written in one turn of the event loop reach the
   * kernel together, in one writev once the turn's work is done: an update group sends a message
   * per change to every member, and each system call, with the TCP segments it makes on its own,
   * costs more than the octets it carries.
   */
  writeCoalesced(bytes: Uint8Array): void {
    if (!this.#blocked && !this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(this.#uncork);
    }
    this.write(bytes);
  }

  /** Writes whole messages, in order; `bytes` must not change until written (they are not copied). */
  write(bytes: Uint8Array): void {
    if (this.#blocked) {
      this.#queue.push(bytes);
      this.#queuedBytes += bytes.length;
    } else if (!this.#socket.write(bytes)) {
      this.#blocked = true;
    }
  }

  /**
   * Drops what waits: the connection is ending, and the NOTIFICATION that ends it need not wait
   * behind UPDATEs that no longer matter. The next write goes to the socket, whose own buffer
   * holds it however full it is.
   */
  discard(): void {
    this.#uncork();
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    this.#blocked = false;
  }

  /** Stops following the socket, which is no longer this connection's. */
  release(): void {
    this.discard();
    this.#socket.off('drain', this.#drain);
  }

  /** Hands what the turn coalesced to the kernel; `write` after it keeps its order behind them. */
  readonly #uncork = (): void => {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  };

  /** What waited goes out up to the socket's high-water mark, in one system call. */
  readonly #drain = (): void => {
    this.#blocked = false;
    this.#socket.cork();
    while (this.#head < this.#queue.length) {
      const bytes = this.#queue[this.#head] as Uint8Array;
      this.#queue[this.#head] = undefined;
      this.#head += 1;
      this.#queuedBytes -= bytes.length;
      if (!this.#socket.write(bytes)) {
        this.#blocked = true;
        this.#compact();
        this.#socket.uncork();
        return;
      }
    }
    this.#socket.uncork();
    this.#queue = [];
    this.#head = 0;
    this.#onDrain();
  };

  #compact(): void {
    if (this.#head < COMPACT_AFTER) return;
    this.#queue = this.#queue.slice(this.#head);
    this.#head = 0;
  }
}
