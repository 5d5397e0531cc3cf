/**
 * The raw test peer: a process inside a namespace that opens one BGP session per case to Porter on a
 * plain TCP socket and sends bytes as given, malformed ones included, so nothing between it and
 * Porter corrects them. Run as `node --import tsx raw-peer.ts '<RawCase[] as JSON>'`; it reports one
 * JSON object per line on stdout (RawEvent) and ends when every case has ended.
 *
 * A case either replaces its OPEN with the bytes under test, or completes the OPEN exchange, sends
 * an optional valid UPDATE, waits for the file `goFile` to exist (the test has seen the route), and
 * then sends the bytes under test. Every message Porter sends is reported in hex.
 */
import { existsSync } from 'node:fs';
import { type Socket, createConnection } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface RawCase {
  name: string;
  localAddress: string;
  remoteAddress: string;
  /** Our OPEN, hex; with `replacesOpen` the bytes under test go in its place. */
  open: string;
  replacesOpen: boolean;
  /** A valid UPDATE sent once Established, before the bytes under test. */
  valid?: string;
  goFile?: string;
  bytes: string;
  /** How long the session is kept after the bytes under test, with KEEPALIVEs. */
  lingerMs: number;
}

export type RawEvent =
  | { case: string; event: 'established' | 'valid-sent' | 'sent' }
  | { case: string; event: 'message'; hex: string }
  | { case: string; event: 'end'; reason: 'closed' | 'linger' | 'timeout' | 'error'; detail?: string };

const KEEPALIVE = Buffer.from(`${'ff'.repeat(16)}001304`, 'hex');
const CASE_TIMEOUT_MS = 30_000;

function runCase(c: RawCase, report: (event: RawEvent) => void): Promise<void> {
  return new Promise((resolve) => {
    let socket: Socket | undefined;
    let pending = Buffer.alloc(0);
    let established = false;
    let finished = false;
    let keepalive: NodeJS.Timeout | undefined;
    let linger: NodeJS.Timeout | undefined;
    let retry: NodeJS.Timeout | undefined;
    const finish = (reason: Extract<RawEvent, { event: 'end' }>['reason'], detail?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(linger);
      clearTimeout(retry);
      clearInterval(keepalive);
      socket?.destroy();
      report({ case: c.name, event: 'end', reason, ...(detail ? { detail } : {}) });
      resolve();
    };
    let lastError: string | undefined;
    const timer = setTimeout(() => finish('timeout', lastError), CASE_TIMEOUT_MS);
    const send = (hex: string) => socket?.write(Buffer.from(hex, 'hex'));
    const sendUnderTest = () => {
      send(c.bytes);
      report({ case: c.name, event: 'sent' });
      linger = setTimeout(() => finish('linger'), c.lingerMs);
    };
    const afterValid = () => {
      if (!c.goFile || existsSync(c.goFile)) return sendUnderTest();
      retry = setTimeout(afterValid, 100);
    };
    const onMessage = (message: Buffer) => {
      report({ case: c.name, event: 'message', hex: message.toString('hex') });
      const type = message[18];
      // Porter's OPEN: confirm it (OpenSent to OpenConfirm); its KEEPALIVE then makes the session Established.
      if (type === 1) socket?.write(KEEPALIVE);
      if (type === 4 && !established && !c.replacesOpen) {
        established = true;
        report({ case: c.name, event: 'established' });
        keepalive = setInterval(() => socket?.write(KEEPALIVE), 3_000);
        if (c.valid) {
          send(c.valid);
          report({ case: c.name, event: 'valid-sent' });
          afterValid();
        } else {
          sendUnderTest();
        }
      }
    };
    const dial = () => {
      const s = createConnection({ host: c.remoteAddress, port: 179, localAddress: c.localAddress });
      s.once('error', (error) => {
        s.destroy();
        lastError = error.message;
        if (!finished && !socket) retry = setTimeout(dial, 200);
      });
      s.once('connect', () => {
        socket = s;
        s.setNoDelay(true);
        s.on('error', (error) => finish('error', error.message));
        s.on('close', () => finish('closed'));
        s.on('data', (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 19) {
            const length = pending.readUInt16BE(16);
            if (length < 19 || pending.length < length) break;
            onMessage(pending.subarray(0, length));
            pending = pending.subarray(length);
          }
        });
        if (c.replacesOpen) {
          send(c.bytes);
          report({ case: c.name, event: 'sent' });
          linger = setTimeout(() => finish('linger'), c.lingerMs);
        } else {
          send(c.open);
        }
      });
    };
    dial();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cases = JSON.parse(process.argv[2]) as RawCase[];
  await Promise.all(cases.map((c) => runCase(c, (event) => process.stdout.write(`${JSON.stringify(event)}\n`))));
  process.exit(0);
}
