/** A client of the control socket: one request, its response. */
import { connect } from 'node:net';
import { LineReader } from './line-reader.ts';
import { MAX_REQUEST_OCTETS, type Request, type Response } from './protocol.ts';

/** The longest a response line may be: a whole Loc-RIB. */
const MAX_RESPONSE_OCTETS = 1024 * 1024 * 1024;

export function controlRequest(path: string, request: Request, timeoutMs = 30_000): Promise<Response> {
  const line = JSON.stringify(request);
  if (Buffer.byteLength(line) > MAX_REQUEST_OCTETS) return Promise.reject(new Error('request too long'));
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const reader = new LineReader(MAX_RESPONSE_OCTETS);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (finish: () => void) => {
      clearTimeout(timer);
      socket.destroy();
      finish();
    };
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk) => {
      const [first] = reader.push(chunk);
      if (first === undefined) return;
      if (!first.ok) return done(() => reject(new Error(first.error)));
      try {
        const response = JSON.parse(first.text) as Response;
        done(() => resolve(response));
      } catch (error) {
        done(() => reject(error as Error));
      }
    });
    socket.on('error', (error) => done(() => reject(error)));
    socket.on('close', () => done(() => reject(new Error(`${path} closed without a response`))));
  });
}
