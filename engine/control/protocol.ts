/**
 * The control socket's protocol: one JSON request per line, one JSON response per line, in order.
 * A request is an object with `op`; a response is `{"ok":true,"result":...}` or
 * `{"ok":false,"error":"message"}`.
 */

/** The longest request line taken: enough for thousands of routes in one announce. */
export const MAX_REQUEST_OCTETS = 4 * 1024 * 1024;

export type Request = { op: string } & Record<string, unknown>;

export type Response = { ok: true; result: unknown } | { ok: false; error: string };

/** A request the speaker cannot carry out, with the reason told to the client. */
export class RequestError extends Error {
  override name = 'RequestError';
}

export function parseRequest(line: string): Request {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new RequestError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError('a request is a JSON object');
  if (typeof (value as Request).op !== 'string') throw new RequestError('a request needs "op", a string');
  return value as Request;
}
