/**
 * ECMP next-hop selection: the Rust addon when it loads, else the TypeScript reference, chosen like
 * the wire codec (engine/wire/index.ts): `PORTER_IMPL=ts|native|auto` overrides the choice.
 */
import { implementationFromEnv, type ImplementationChoice } from '../wire/index.ts';
import { loadNativeEcmp } from './native-ecmp.ts';
import { tsEcmp } from './ts-ecmp.ts';
import type { EcmpEngine, FlowBatch, HashConfig, SelectionTable } from './types.ts';

export type * from './types.ts';
export { packFlows, keyWords, STRIDE, type Flow } from './flow-layout.ts';
export { tsEcmp } from './ts-ecmp.ts';
export { POLICIES } from './policies/registry.ts';

export interface EcmpSelection {
  engine: EcmpEngine;
  /** Why the native engine is not in use, when it is not. */
  fallbackReason?: string;
}

let nativeLoad: ReturnType<typeof loadNativeEcmp> | undefined;

/** Picks an engine; `native` fails with the addon's load error when it is not available. */
export function selectEcmp(choice: ImplementationChoice = implementationFromEnv()): EcmpSelection {
  if (choice === 'ts') return { engine: tsEcmp, fallbackReason: 'TypeScript implementation requested' };
  nativeLoad ??= loadNativeEcmp();
  if ('error' in nativeLoad) {
    if (choice === 'native') throw new Error(`native ECMP unavailable: ${nativeLoad.error}`);
    return { engine: tsEcmp, fallbackReason: nativeLoad.error };
  }
  return { engine: nativeLoad };
}

/** The one startup line that says which implementation runs. */
export function describeEcmpSelection(selection: EcmpSelection): string {
  return selection.engine.name === 'native'
    ? 'ECMP: native (Rust addon)'
    : `ECMP: TypeScript (${selection.fallbackReason})`;
}

let selected: EcmpSelection | undefined;

/** The next-hop index of every flow, on the engine chosen at first use (see selectEcmp). */
export function selectNextHops(table: SelectionTable, flows: FlowBatch, hash: HashConfig, out?: Uint32Array): Uint32Array {
  selected ??= selectEcmp();
  return selected.engine.selectBatch(table, flows, hash, out);
}
