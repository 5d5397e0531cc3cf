/**
 * One message, any type: decoding dispatches on the checked header, encoding on the value's type.
 */
import type { ResolvedContext } from './context.ts';
import { badMessageLength, WireEncodeError } from './errors.ts';
import { checkHeader, HEADER_LENGTH, MESSAGE_TYPE, type Header } from './header.ts';
import { decodeKeepalive, encodeKeepalive } from './keepalive.ts';
import { decodeNotification, encodeNotification } from './notification.ts';
import { decodeOpen, encodeOpen } from './open.ts';
import { PREFIX_VALUES } from './prefix.ts';
import { decodeRouteRefresh, encodeRouteRefresh } from './route-refresh.ts';
import type { DecodeResult, Message } from './types.ts';
import { decodeUpdate } from './update.ts';
import { encodeUpdate } from './update.ts';

/** Decodes the body of the message at `start`, whose header `header` was checked and whose octets are all there. */
export function decodeBody(bytes: Uint8Array, start: number, header: Header, context: ResolvedContext): DecodeResult {
  const end = start + header.length;
  switch (header.type) {
    case MESSAGE_TYPE.open:
      return decodeOpen(bytes, start, end);
    case MESSAGE_TYPE.update: {
      const { message, error } = decodeUpdate(bytes, start, end, context, PREFIX_VALUES);
      const result: DecodeResult = {};
      if (message !== undefined) result.message = message;
      if (error !== undefined) result.error = error;
      return result;
    }
    case MESSAGE_TYPE.notification:
      return decodeNotification(bytes, start, end);
    case MESSAGE_TYPE.keepalive:
      return decodeKeepalive();
    default:
      return decodeRouteRefresh(bytes, start, end);
  }
}

/**
 * Decodes a buffer that holds exactly one message. A buffer shorter than a header is
 * bad-message-length with empty data; one of another size than its Length field says fails the
 * header's length check (docs/wire-errors.md).
 */
export function decodeOneMessage(bytes: Uint8Array, context: ResolvedContext): DecodeResult {
  if (bytes.length < HEADER_LENGTH) return { error: badMessageLength('') };
  const header = checkHeader(bytes, 0, context, bytes.length);
  if ('action' in header) return { error: header };
  return decodeBody(bytes, 0, header, context);
}

export function encodeAnyMessage(message: Message, context: ResolvedContext): Uint8Array {
  switch (message?.type) {
    case 'open':
      return encodeOpen(message);
    case 'update':
      return encodeUpdate(message, context);
    case 'notification':
      return encodeNotification(message, context);
    case 'keepalive':
      return encodeKeepalive();
    case 'route-refresh':
      return encodeRouteRefresh(message, context);
    default:
      throw new WireEncodeError(`not a message type: ${JSON.stringify((message as { type?: unknown } | undefined)?.type)}`);
  }
}
