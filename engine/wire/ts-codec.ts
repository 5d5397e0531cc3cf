/**
 * The TypeScript reference implementation of WireCodec: readable, and byte-for-byte the same as the
 * Rust codec (shared vectors in testdata/wire/vectors keep them so).
 */
import { decodeRouteColumns } from './bulk-decode.ts';
import { encodeRouteColumns } from './bulk-encode.ts';
import { resolveContext } from './context.ts';
import { decodeOneMessage, encodeAnyMessage } from './message.ts';
import { decodeMessages } from './stream.ts';
import type { WireCodec } from './types.ts';

export const tsCodec: WireCodec = {
  name: 'ts',
  decodeMessage: (bytes, context) => decodeOneMessage(bytes, resolveContext(context)),
  decodeStream: (bytes, context) => decodeMessages(bytes, resolveContext(context)),
  encodeMessage: (message, context) => encodeAnyMessage(message, resolveContext(context)),
  encodeRoutes: (routes, attributeSets, context) => encodeRouteColumns(routes, attributeSets, resolveContext(context)),
  decodeRoutes: (bytes, context) => decodeRouteColumns(bytes, resolveContext(context)),
};
