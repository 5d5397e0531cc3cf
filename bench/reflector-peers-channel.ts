/**
 * The reflector's command channel when a profiler starts it (`--reflector-wrapper`, e.g. clinic).
 * Node's IPC channel cannot reach it then: the profiler's own node process sits in between and takes
 * the channel for itself. So the reflector connects back over a Unix socket named in its environment
 * and the same messages travel as JSON lines, one per message.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import net from 'node:net';

/** The environment variable that names the socket. */
export const CHANNEL_VARIABLE = 'PORTER_BENCH_CHANNEL';

/** Emits each JSON line the socket carries as a 'message' event of `emitter`. */
function emitLines(socket: net.Socket, emitter: EventEmitter): void {
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) emitter.emit('message', JSON.parse(line));
  });
}

/**
 * The benchmark's side: a wrapped reflector process seen as the IPC child the benchmark expects
 * (send, 'message', 'exit', disconnect). Messages sent before the reflector connects wait for it.
 */
export class WrappedChild extends EventEmitter {
  connected = true;
  #socket: net.Socket | undefined;
  #waiting: string[] = [];

  constructor(private readonly child: ChildProcess, private readonly server: net.Server) {
    super();
    child.on('exit', (code, signal) => {
      this.connected = false;
      server.close();
      this.emit('exit', code, signal);
    });
    server.once('connection', (socket) => {
      this.#socket = socket;
      socket.on('error', () => {});
      emitLines(socket, this);
      for (const line of this.#waiting) socket.write(line);
      this.#waiting = [];
    });
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  get signalCode(): NodeJS.Signals | null {
    return this.child.signalCode;
  }

  send(message: unknown): boolean {
    const line = `${JSON.stringify(message)}\n`;
    if (this.#socket) this.#socket.write(line);
    else this.#waiting.push(line);
    return true;
  }

  /** Like IPC's disconnect: the reflector sees its channel close and exits. */
  disconnect(): void {
    this.connected = false;
    this.#socket?.end();
    this.server.close();
  }

  kill(signal: NodeJS.Signals): boolean {
    return this.child.kill(signal);
  }
}

/** The reflector's end of the channel. */
export interface ReflectorChannel {
  send(message: unknown): void;
  onMessage<T>(listener: (message: T) => void): void;
  onDisconnect(listener: () => void): void;
  /**
   * Ends the process the way whoever started it expects: process.exit under node's IPC (node
   * --cpu-prof writes its profile on exit), SIGINT under a profiler, whose injected code catches
   * it to end the process itself once its data is written, as it would on Ctrl-C.
   */
  exit(): void;
}

/** The reflector's side: node's IPC channel, or the socket the benchmark named. */
export function reflectorChannel(): ReflectorChannel {
  const path = process.env[CHANNEL_VARIABLE];
  if (path === undefined) {
    return {
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', listener),
      onDisconnect: (listener) => process.on('disconnect', listener),
      exit: () => process.exit(0),
    };
  }
  const channel = new EventEmitter();
  const socket = net.connect(path);
  emitLines(socket, channel);
  socket.on('close', () => channel.emit('disconnect'));
  return {
    send: (message) => socket.write(`${JSON.stringify(message)}\n`),
    onMessage: (listener) => channel.on('message', listener),
    onDisconnect: (listener) => channel.on('disconnect', listener),
    exit: () => process.kill(process.pid, 'SIGINT'),
  };
}
