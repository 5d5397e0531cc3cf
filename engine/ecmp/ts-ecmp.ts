/** The TypeScript reference implementation of EcmpEngine, which the Rust core must match. */
import { checkGroup } from './next-hop-group.ts';
import type { CheckedPrevious } from './policies/policy.ts';
import { policyNamed } from './policies/registry.ts';
import { selectBatch } from './select.ts';
import type { EcmpEngine, NextHopGroup, PolicyConfig, PreviousTable, Result, SelectionTable } from './types.ts';

/** Compiles `group` under the configured policy, from `previous` for policies that use it. */
export function buildTable(group: NextHopGroup, config: PolicyConfig, previous?: PreviousTable): Result<SelectionTable> {
  const policy = policyNamed(config.policy);
  if (!policy) return { ok: false, error: `no ECMP policy named ${config.policy}` };
  const checked = checkGroup(group);
  if (!checked.ok) return checked;
  let checkedPrevious: CheckedPrevious | undefined;
  if (previous) {
    const previousGroup = checkGroup(previous.group);
    if (!previousGroup.ok) return { ok: false, error: `previous group: ${previousGroup.error}` };
    checkedPrevious = { group: previousGroup.value, table: previous.table };
  }
  const built = policy.build(checked.value, config.size, checkedPrevious);
  return built.ok ? { ok: true, value: { policy: config.policy, entries: built.value } } : built;
}

export const tsEcmp: EcmpEngine = {
  name: 'ts',
  buildTable,
  selectBatch,
};
