/**
 * The Rust ECMP core (native/core/src/ecmp) as an EcmpEngine, through the napi-rs addon. Groups are
 * checked here with the reference's own checks, so both engines refuse the same groups with the same
 * words; the addon checks again and throws only when called outside this module. Loading never
 * throws: a missing or old addon is reported as a value.
 */
import { createRequire } from 'node:module';

import { keyWords, STRIDE } from './flow-layout.ts';
import { checkGroup, MAX_TABLE_SIZE, type CheckedGroup } from './next-hop-group.ts';
import { DEFAULT_MAGLEV_SIZE } from './policies/maglev.ts';
import { policyNamed } from './policies/registry.ts';
import { buildTable as tsBuildTable } from './ts-ecmp.ts';
import type { EcmpEngine, NextHopGroup, PolicyConfig, PreviousTable, Result, SelectionTable } from './types.ts';

/** The functions of native/node/index.d.cts this module uses. */
interface EcmpBinding {
  ecmpBuildTable(
    policy: string,
    names: string[],
    weights: Uint32Array,
    size?: number,
    previousNames?: string[],
    previousTable?: Uint32Array,
  ): Uint32Array;
  ecmpBuildMaglevInto(joinedNames: string, nameLengths: Uint32Array, weights: Uint32Array, out: Uint32Array): void;
  ecmpSelectBatch(
    words: Uint32Array,
    stride: number,
    keyWords: number,
    count: number,
    seed: number,
    entries: Uint32Array,
    out: Uint32Array,
  ): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Maglev table written by the addon into an array allocated here: a table returned by the addon
 * would be a new external buffer, which costs V8 far more than an allocation of its own. The names
 * cross as one string with their lengths, rather than one string each. Sizes above the largest
 * table are left to the general path, which refuses them without allocating.
 */
function buildMaglev(binding: EcmpBinding, checked: CheckedGroup, size: number): Uint32Array {
  const { names } = checked;
  const lengths = new Uint32Array(names.length);
  for (let i = 0; i < names.length; i++) lengths[i] = names[i].length;
  const entries = new Uint32Array(size);
  binding.ecmpBuildMaglevInto(names.join(''), lengths, new Uint32Array(checked.weights), entries);
  return entries;
}

function engineOver(binding: EcmpBinding): EcmpEngine {
  const buildTable = (group: NextHopGroup, config: PolicyConfig, previous?: PreviousTable): Result<SelectionTable> => {
    // A size that is no 32-bit integer would be converted on the way in: the reference refuses it.
    const { size } = config;
    if (size !== undefined && !(Number.isInteger(size) && size >= 0 && size <= 0xffffffff)) return tsBuildTable(group, config, previous);
    if (!policyNamed(config.policy)) return { ok: false, error: `no ECMP policy named ${config.policy}` };
    const checked = checkGroup(group);
    if (!checked.ok) return checked;
    if (previous) {
      const previousGroup = checkGroup(previous.group);
      if (!previousGroup.ok) return { ok: false, error: `previous group: ${previousGroup.error}` };
    }
    try {
      const maglevSize = config.policy === 'maglev' ? size ?? DEFAULT_MAGLEV_SIZE : 0;
      if (maglevSize >= 1 && maglevSize <= MAX_TABLE_SIZE) {
        return { ok: true, value: { policy: config.policy, entries: buildMaglev(binding, checked.value, maglevSize) } };
      }
      const entries = binding.ecmpBuildTable(
        config.policy,
        group.nextHops.map(({ name }) => name),
        Uint32Array.from(group.nextHops, ({ weight }) => weight),
        config.size,
        previous?.group.nextHops.map(({ name }) => name),
        previous?.table,
      );
      return { ok: true, value: { policy: config.policy, entries } };
    } catch (error) {
      return { ok: false, error: message(error) };
    }
  };
  return {
    name: 'native',
    buildTable,
    selectBatch: (table, flows, hash, out = new Uint32Array(flows.count)) => {
      binding.ecmpSelectBatch(
        flows.words,
        STRIDE[flows.family],
        keyWords(flows.family, hash.fields),
        flows.count,
        hash.seed >>> 0,
        table.entries,
        out,
      );
      return out;
    },
  };
}

/** Loads the addon built by `npm run build:native`; answers why not when it cannot. */
export function loadNativeEcmp(): EcmpEngine | { error: string } {
  try {
    const binding = createRequire(import.meta.url)('../../native/node/index.cjs') as Partial<EcmpBinding>;
    const missing = (['ecmpBuildTable', 'ecmpBuildMaglevInto', 'ecmpSelectBatch'] as const).filter((name) => typeof binding[name] !== 'function');
    if (missing.length > 0) return { error: `native addon lacks ${missing.join(', ')}: rebuild it with npm run build:native` };
    return engineOver(binding as EcmpBinding);
  } catch (error) {
    return { error: `native addon not loaded: ${message(error)}` };
  }
}
