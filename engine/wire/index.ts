/**
 * Chooses the wire codec the engine runs on: the Rust addon when it loads, else the TypeScript
 * reference. `PORTER_IMPL=ts` (or the `implementation` option) forces the reference, for comparisons.
 */
import { loadNativeCodec } from './native-codec.ts';
import { tsCodec } from './ts-codec.ts';
import type { WireCodec } from './types.ts';

export type { WireCodec } from './types.ts';
export { tsCodec } from './ts-codec.ts';

export type ImplementationChoice = 'auto' | 'ts' | 'native';

export interface CodecSelection {
  codec: WireCodec;
  /** Why the native codec is not in use, when it is not. */
  fallbackReason?: string;
}

let nativeLoad: ReturnType<typeof loadNativeCodec> | undefined;

function native(): ReturnType<typeof loadNativeCodec> {
  nativeLoad ??= loadNativeCodec();
  return nativeLoad;
}

/** Reads the choice from `PORTER_IMPL` (auto, ts or native); auto when unset. */
export function implementationFromEnv(env: NodeJS.ProcessEnv = process.env): ImplementationChoice {
  const value = env.PORTER_IMPL ?? 'auto';
  if (value === 'auto' || value === 'ts' || value === 'native') return value;
  throw new Error(`PORTER_IMPL must be auto, ts or native, not "${value}"`);
}

/** Picks a codec; `native` fails with the addon's load error when it is not available. */
export function selectCodec(choice: ImplementationChoice = implementationFromEnv()): CodecSelection {
  if (choice === 'ts') return { codec: tsCodec, fallbackReason: 'TypeScript implementation requested' };
  const loaded = native();
  if ('error' in loaded) {
    if (choice === 'native') throw new Error(`native codec unavailable: ${loaded.error}`);
    return { codec: tsCodec, fallbackReason: loaded.error };
  }
  return { codec: loaded };
}

/** The one startup line that says which implementation runs. */
export function describeSelection(selection: CodecSelection): string {
  return selection.codec.name === 'native'
    ? 'wire codec: native (Rust addon)'
    : `wire codec: TypeScript (${selection.fallbackReason})`;
}
