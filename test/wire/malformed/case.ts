/**
 * One row of testdata/wire/malformed.jsonl, and the expected errors written out from
 * docs/wire-errors.md (not taken from the codecs, which this table checks).
 */
import type { ErrorAction, Family, SessionContext, WireError } from '../../../engine/wire/types.ts';
import { hex, type Bytes } from './bytes.ts';

export interface MalformedCase {
  /** Kebab-case, unique in the table. */
  name: string;
  context: SessionContext;
  bytes: Bytes;
  error: WireError;
}

/** The JSON line of a case; the fields of `error` in the order of types.ts. */
export function caseLine(entry: MalformedCase): string {
  return JSON.stringify({ name: entry.name, context: entry.context, hex: hex(entry.bytes), error: entry.error });
}

export interface ErrorExtras {
  attribute?: number;
  family?: Family;
}

export function wireError(
  action: ErrorAction,
  code: number,
  subcode: number,
  reason: string,
  data: Bytes | string,
  extras: ErrorExtras = {},
): WireError {
  const error: WireError = { action, code, subcode, reason, data: typeof data === 'string' ? data : hex(data) };
  if (extras.attribute !== undefined) error.attribute = extras.attribute;
  if (extras.family !== undefined) error.family = extras.family;
  return error;
}

/** A session-reset error of the header, OPEN or ROUTE-REFRESH tables. */
export const reset = (code: number, subcode: number, reason: string, data: Bytes | string = ''): WireError =>
  wireError('session-reset', code, subcode, reason, data);

/** The same error with another action (RFC 7606 section 5.2 changes only the action). */
export const escalated = (error: WireError): WireError => ({ ...error, action: 'session-reset' });
