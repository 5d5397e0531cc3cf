/**
 * Both codecs side by side: every decoder on the same bytes must not throw and must print the
 * same JSON (the contract's form of a value, field order included).
 */
import assert from 'node:assert/strict';
import type { RouteDecodeResult, SessionContext, WireCodec } from '../../engine/wire/types.ts';
import { nativeCodec, tsCodec } from './codecs.ts';

export const codecs: WireCodec[] = nativeCodec === undefined ? [tsCodec] : [tsCodec, nativeCodec];

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A bulk decode result as JSON text, its typed-array columns as plain arrays. */
export function routesJson(result: RouteDecodeResult): string {
  const { routes, ...rest } = result;
  const columns = {
    count: routes.count,
    family: Array.from(routes.family),
    prefixLength: Array.from(routes.prefixLength),
    address: toHex(routes.address),
    pathId: Array.from(routes.pathId),
    attributeSet: Array.from(routes.attributeSet),
  };
  return JSON.stringify({ routes: columns, ...rest });
}

/** decodeMessage, decodeStream and decodeRoutes of every codec on `bytes`, compared as JSON. */
export function decodeEverywhere(bytes: Uint8Array, context: SessionContext): void {
  const outputs = codecs.map((codec) => {
    try {
      return [
        JSON.stringify(codec.decodeMessage(bytes, context)),
        JSON.stringify(codec.decodeStream(bytes, context)),
        routesJson(codec.decodeRoutes(bytes, context)),
      ];
    } catch (error) {
      assert.fail(`${codec.name} threw on ${toHex(bytes)} (${JSON.stringify(context)}): ${error}`);
    }
  });
  for (const other of outputs.slice(1)) {
    assert.deepEqual(other, outputs[0], `codecs differ on ${toHex(bytes)} (${JSON.stringify(context)})`);
  }
}
