/**
 * The implementations a thread runs batches on, chosen as the rest of the engine chooses them:
 * selectCodec and selectEcmp, under `PORTER_IMPL` (the pool gives its workers the main thread's
 * choice in their environment). Each thread loads the addon once, on first use.
 */
import { selectEcmp, type EcmpEngine } from '../ecmp/index.ts';
import { implementationFromEnv, selectCodec, type WireCodec } from '../wire/index.ts';

let codec: WireCodec | undefined;
let ecmp: EcmpEngine | undefined;

/** This thread's wire codec. */
export function threadCodec(): WireCodec {
  codec ??= selectCodec(implementationFromEnv()).codec;
  return codec;
}

/** This thread's ECMP engine. */
export function threadEcmp(): EcmpEngine {
  ecmp ??= selectEcmp(implementationFromEnv()).engine;
  return ecmp;
}
