/**
 * The codecs the wire suites run against: always the TypeScript reference, and the Rust one when the
 * addon is built (else the reason it is not, for a visible skip).
 */
import { loadNativeCodec } from '../../engine/wire/native-codec.ts';
import { tsCodec } from '../../engine/wire/ts-codec.ts';
import type { WireCodec } from '../../engine/wire/types.ts';

const loaded = loadNativeCodec();

/** The native codec, or undefined when the addon does not load. */
export const nativeCodec: WireCodec | undefined = 'error' in loaded ? undefined : loaded;

/** Why the native codec is missing, to show as the skip reason. */
export const nativeSkipReason: string | false = 'error' in loaded ? `native addon not available: ${loaded.error}` : false;

export { tsCodec };
