/**
 * The Rust codec (native/core/src/wire) as a WireCodec, through the napi-rs addon. The addon takes
 * and gives JSON strings for structured values and typed arrays for bytes and route columns; this
 * module only converts. Loading never throws: a missing or broken addon is reported as a value.
 */
import { createRequire } from 'node:module';

import { WireEncodeError } from './errors.ts';
import type {
  AttributeSet,
  DecodeResult,
  Message,
  RouteColumns,
  RouteDecodeResult,
  SessionContext,
  StreamDecodeResult,
  WireCodec,
} from './types.ts';

/** The functions of native/node/index.d.cts this module uses. */
interface WireBinding {
  decodeMessage(bytes: Uint8Array, context?: string): string;
  decodeStream(bytes: Uint8Array, context?: string): string;
  encodeMessage(message: string, context?: string): Uint8Array;
  encodeRoutes(
    family: Uint8Array,
    prefixLength: Uint8Array,
    address: Uint8Array,
    pathId: Uint32Array,
    attributeSet: Uint32Array,
    attributeSets: string,
    context?: string,
  ): Uint8Array;
  decodeRoutes(
    bytes: Uint8Array,
    context?: string,
  ): {
    family: Uint8Array;
    prefixLength: Uint8Array;
    address: Uint8Array;
    pathId: Uint32Array;
    attributeSet: Uint32Array;
    rest: string;
  };
}

/** A plain Uint8Array over the same memory as a Buffer the addon returned. */
function view(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function contextJson(context: SessionContext | undefined): string | undefined {
  return context === undefined ? undefined : JSON.stringify(context);
}

/** Runs an encoder of the addon, turning its errors into WireEncodeError. */
function encoding(what: string, encode: () => Uint8Array): Uint8Array {
  try {
    return view(encode());
  } catch (error) {
    throw new WireEncodeError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function codecOver(binding: WireBinding): WireCodec {
  return {
    name: 'native',
    decodeMessage: (bytes, context) =>
      JSON.parse(binding.decodeMessage(bytes, contextJson(context))) as DecodeResult,
    decodeStream: (bytes, context) =>
      JSON.parse(binding.decodeStream(bytes, contextJson(context))) as StreamDecodeResult,
    encodeMessage: (message: Message, context) =>
      encoding('cannot encode message', () => binding.encodeMessage(JSON.stringify(message), contextJson(context))),
    encodeRoutes: (routes: RouteColumns, attributeSets: AttributeSet[], context) =>
      encoding('cannot encode routes', () =>
        binding.encodeRoutes(
          routes.family.subarray(0, routes.count),
          routes.prefixLength.subarray(0, routes.count),
          routes.address.subarray(0, routes.count * 16),
          routes.pathId.subarray(0, routes.count),
          routes.attributeSet.subarray(0, routes.count),
          JSON.stringify(attributeSets),
          contextJson(context),
        ),
      ),
    decodeRoutes: (bytes, context): RouteDecodeResult => {
      const decoded = binding.decodeRoutes(bytes, contextJson(context));
      const rest = JSON.parse(decoded.rest) as Omit<RouteDecodeResult, 'routes'>;
      const routes: RouteColumns = {
        count: decoded.family.length,
        family: decoded.family,
        prefixLength: decoded.prefixLength,
        address: decoded.address,
        pathId: decoded.pathId,
        attributeSet: decoded.attributeSet,
      };
      return { routes, ...rest };
    },
  };
}

/** Loads the addon built by `npm run build:native`; answers why not when it cannot. */
export function loadNativeCodec(): WireCodec | { error: string } {
  try {
    const binding = createRequire(import.meta.url)('../../native/node/index.cjs') as Partial<WireBinding>;
    const missing = (['decodeMessage', 'decodeStream', 'encodeMessage', 'encodeRoutes', 'decodeRoutes'] as const).filter(
      (name) => typeof binding[name] !== 'function',
    );
    if (missing.length > 0) return { error: `native addon lacks ${missing.join(', ')}: rebuild it with npm run build:native` };
    return codecOver(binding as WireBinding);
  } catch (error) {
    return { error: `native addon not loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
