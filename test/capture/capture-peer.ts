/**
 * The capture peer: a minimal BGP speaker that opens a session with a real daemon and records every
 * byte the daemon sends, raw, until the daemon sends a NOTIFICATION or closes, or a timeout.
 *
 * It runs as its own process inside Porter's namespace (a process cannot enter a namespace by
 * itself): `node --import tsx capture-peer.ts '<PeerOptions as JSON>'`. It appends the bytes to
 * `outputFile` as they arrive, so the file is whole at any moment, and reports progress as one JSON
 * object per line on stdout (see PeerEvent). SIGTERM ends it cleanly.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { HEADER_LENGTH, endOfRibFamily } from './framing.ts';
import { KEEPALIVE, type OfferedCapabilities, buildOpen, negotiatedContext } from './open-message.ts';

export interface PeerOptions {
  /** `connect` dials the daemon; `listen` waits for it on port 179 of localAddress. */
  mode: 'connect' | 'listen';
  localAddress: string;
  remoteAddress: string;
  asn: number;
  bgpId: string;
  holdTime: number;
  capabilities: OfferedCapabilities;
  outputFile: string;
  timeoutMs: number;
}

export type PeerEvent =
  | { event: 'connected' }
  | { event: 'open'; context: ReturnType<typeof negotiatedContext> }
  | { event: 'message'; type: number; length: number; endOfRib?: string }
  | { event: 'end'; reason: 'notification' | 'closed' | 'timeout' | 'stopped' | 'error'; bytes: number; detail?: string };

const BGP_PORT = 179;
const RETRY_MS = 200;

/** Runs one session; calls `report` for each event and resolves with the final one. */
export function capture(options: PeerOptions, report: (event: PeerEvent) => void): Promise<PeerEvent> {
  const out = openSync(options.outputFile, 'w');
  let bytes = 0;
  let pending = Buffer.alloc(0);
  let socket: Socket | undefined;
  let server: Server | undefined;
  let retry: NodeJS.Timeout | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  let finished = false;

  return new Promise((resolve) => {
    const finish = (reason: Extract<PeerEvent, { event: 'end' }>['reason'], detail?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(retry);
      clearInterval(keepalive);
      socket?.destroy();
      server?.close();
      closeSync(out);
      const event: PeerEvent = { event: 'end', reason, bytes, ...(detail ? { detail } : {}) };
      report(event);
      resolve(event);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    process.once('SIGTERM', () => finish('stopped'));

    const onData = (chunk: Buffer) => {
      writeSync(out, chunk);
      bytes += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER_LENGTH) {
        const length = pending.readUInt16BE(16);
        if (length < HEADER_LENGTH) return finish('error', `bad length ${length}`);
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const type = message[18];
        const eor = endOfRibFamily(message);
        report({ event: 'message', type, length, ...(eor ? { endOfRib: eor } : {}) });
        if (type === 1) {
          report({ event: 'open', context: negotiatedContext(options.capabilities, message) });
          // Our KEEPALIVE confirms the daemon's OPEN (RFC 4271 section 8.2.2, OpenSent to OpenConfirm).
          socket?.write(KEEPALIVE);
          keepalive = setInterval(() => socket?.write(KEEPALIVE), (options.holdTime * 1000) / 3);
        }
        if (type === 3) return finish('notification');
      }
    };

    const adopt = (s: Socket) => {
      socket = s;
      s.setNoDelay(true);
      report({ event: 'connected' });
      s.on('data', onData);
      s.on('error', () => undefined);
      s.on('close', () => {
        // A daemon still loading its configuration may accept and drop at once: dial again.
        if (bytes === 0 && options.mode === 'connect' && !finished) {
          socket = undefined;
          retry = setTimeout(dial, RETRY_MS);
        } else {
          finish('closed');
        }
      });
      s.write(buildOpen(options));
    };

    // The daemon may not listen yet: dial again until it answers or the timeout comes.
    const dial = () => {
      const s = createConnection({ host: options.remoteAddress, port: BGP_PORT, localAddress: options.localAddress });
      const refused = () => {
        s.destroy();
        if (!finished) retry = setTimeout(dial, RETRY_MS);
      };
      s.once('error', refused);
      s.once('connect', () => {
        s.off('error', refused);
        adopt(s);
      });
    };

    if (options.mode === 'listen') {
      server = createServer((s) => {
        if (socket) return s.destroy();
        server?.close();
        adopt(s);
      });
      server.on('error', (error) => finish('error', error.message));
      server.listen(BGP_PORT, options.localAddress);
    } else {
      dial();
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = JSON.parse(process.argv[2]) as PeerOptions;
  await capture(options, (event) => process.stdout.write(`${JSON.stringify(event)}\n`));
  process.exit(0);
}
