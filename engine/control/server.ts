/**
 * The control socket: a unix stream socket where each connection sends JSON requests, one per
 * line, and reads one JSON response per line, in order (protocol.ts). Nothing a client sends can
 * stop the speaker, short of `shutdown`: a line too long, not JSON, an unknown op or a request the
 * speaker refuses each get `{"ok":false,"error":...}`.
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Speaker } from '../speaker.ts';
import { LineReader } from './line-reader.ts';
import { perform } from './operations.ts';
import { MAX_REQUEST_OCTETS, parseRequest, type Response } from './protocol.ts';

export interface ControlServerOptions {
  /** Asked for by the `shutdown` op, once its response is written. */
  onShutdown: () => void;
  /** Errors in the server itself, for the log. */
  onError?: (error: Error) => void;
}

export class ControlServer {
  readonly #server: Server;
  readonly #clients = new Set<Socket>();

  constructor(
    readonly path: string,
    readonly speaker: Speaker,
    readonly options: ControlServerOptions,
  ) {
    this.#server = createServer((socket) => this.#client(socket));
    this.#server.on('error', (error) => options.onError?.(error));
  }

  /** Listens at the path, replacing a socket file left by a process that is gone. */
  async listen(): Promise<void> {
    if (existsSync(this.path) && lstatSync(this.path).isSocket()) unlinkSync(this.path);
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.path, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#clients) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #client(socket: Socket): void {
    this.#clients.add(socket);
    const reader = new LineReader(MAX_REQUEST_OCTETS);
    // Requests of one connection are answered in order, one at a time.
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const line of reader.push(chunk)) {
        queue = queue.then(() => this.#answer(socket, line.ok ? line.text : undefined, line.ok ? undefined : line.error));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#clients.delete(socket));
  }

  async #answer(socket: Socket, line: string | undefined, readError: string | undefined): Promise<void> {
    if (line !== undefined && line.trim() === '') return;
    let shutdown = false;
    let response: Response;
    try {
      if (readError !== undefined) throw new Error(readError);
      const request = parseRequest(line as string);
      const result = await perform(request, { speaker: this.speaker, shutdown: () => (shutdown = true) });
      response = { ok: true, result: result ?? null };
    } catch (error) {
      response = { ok: false, error: (error as Error).message };
    }
    if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
    if (shutdown) this.options.onShutdown();
  }
}
