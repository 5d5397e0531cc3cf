/**
 * Every decode error of docs/wire-errors.md as a factory, the rule that keeps the strongest, and the
 * one exception the codec throws: WireEncodeError, for values that cannot be put on the wire.
 */
import { ACTION_STRENGTH, type ErrorAction, type Family, type WireError } from './types.ts';

/** A value that has no encoding: out of range, malformed text, or a message over its size limit. */
export class WireEncodeError extends Error {
  override readonly name = 'WireEncodeError';
}

/** Builds a WireError with its fields in the order of types.ts. */
function wireError(
  action: ErrorAction,
  code: number,
  subcode: number,
  reason: string,
  data: string,
  attribute?: number,
  family?: Family,
): WireError {
  const error: WireError = { action, code, subcode, reason, data };
  if (attribute !== undefined) error.attribute = attribute;
  if (family !== undefined) error.family = family;
  return error;
}

/** The stronger of two errors; the earlier one among equals (docs/wire-errors.md). */
export function stronger(current: WireError | undefined, found: WireError): WireError {
  if (current === undefined) return found;
  return ACTION_STRENGTH[found.action] > ACTION_STRENGTH[current.action] ? found : current;
}

export function isSessionReset(error: WireError | undefined): boolean {
  return error?.action === 'session-reset';
}

// Message header, RFC 4271 section 6.1.

export const badMarker = (): WireError => wireError('session-reset', 1, 1, 'bad-marker', '');
export const badMessageLength = (lengthField: string): WireError =>
  wireError('session-reset', 1, 2, 'bad-message-length', lengthField);
export const badMessageType = (typeField: string): WireError =>
  wireError('session-reset', 1, 3, 'bad-message-type', typeField);

// OPEN, RFC 4271 section 6.2, RFC 5492, RFC 9072.

/** Data is the largest version supported, as 2 octets (RFC 4271 section 6.2). */
export const unsupportedVersion = (): WireError => wireError('session-reset', 2, 1, 'unsupported-version', '0004');
export const badBgpIdentifier = (): WireError => wireError('session-reset', 2, 3, 'bad-bgp-identifier', '');
export const unsupportedOptionalParameter = (): WireError =>
  wireError('session-reset', 2, 4, 'unsupported-optional-parameter', '');
export const unacceptableHoldTime = (): WireError => wireError('session-reset', 2, 6, 'unacceptable-hold-time', '');
export const malformedOpen = (): WireError => wireError('session-reset', 2, 0, 'malformed-open', '');
export const malformedCapability = (): WireError => wireError('session-reset', 2, 0, 'malformed-capability', '');

// UPDATE, RFC 4271 section 6.3, RFC 7606, RFC 4760, RFC 6793, RFC 8092. `attr` is the whole
// attribute as received, in hex.

export const malformedAttributeList = (): WireError =>
  wireError('session-reset', 3, 1, 'malformed-attribute-list', '');
export const duplicateMpAttribute = (code: number): WireError =>
  wireError('session-reset', 3, 1, 'duplicate-mp-attribute', '', code);
export const invalidNetworkField = (): WireError => wireError('session-reset', 3, 10, 'invalid-network-field', '');
export const unrecognizedWellKnownAttribute = (attr: string, code: number): WireError =>
  wireError('session-reset', 3, 2, 'unrecognized-well-known-attribute', attr, code);
export const attributeFlags = (action: ErrorAction, attr: string, code: number): WireError =>
  wireError(action, 3, 4, 'attribute-flags', attr, code);
/** `code` is absent when not even the type octet is there. */
export const attributeOverrun = (code?: number): WireError =>
  wireError('treat-as-withdraw', 3, 1, 'attribute-overrun', '', code);
export const malformedMpReach = (action: ErrorAction, attr: string, family?: Family): WireError =>
  wireError(action, 3, 9, 'malformed-mp-reach', attr, 14, family);
export const malformedMpUnreach = (action: ErrorAction, attr: string, family?: Family): WireError =>
  wireError(action, 3, 9, 'malformed-mp-unreach', attr, 15, family);
export const invalidOrigin = (attr: string): WireError => wireError('treat-as-withdraw', 3, 6, 'invalid-origin', attr, 1);
export const attributeLength = (action: ErrorAction, attr: string, code: number): WireError =>
  wireError(action, 3, 5, 'attribute-length', attr, code);
export const malformedAsPath = (): WireError => wireError('treat-as-withdraw', 3, 11, 'malformed-as-path', '', 2);
export const malformedAs4Path = (attr: string): WireError =>
  wireError('attribute-discard', 3, 9, 'malformed-as4-path', attr, 17);
export const duplicateAttribute = (code: number): WireError =>
  wireError('attribute-discard', 3, 1, 'duplicate-attribute', '', code);
/** Data is the missing type code, 1 octet (RFC 4271 section 6.3). */
export const missingWellKnownAttribute = (code: number): WireError =>
  wireError('treat-as-withdraw', 3, 3, 'missing-well-known-attribute', code.toString(16).padStart(2, '0'), code);

// ROUTE-REFRESH, RFC 7313 section 5.

export const badRouteRefreshLength = (message: string): WireError =>
  wireError('session-reset', 7, 1, 'bad-route-refresh-length', message);
