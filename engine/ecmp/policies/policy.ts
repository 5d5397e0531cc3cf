/** The shape every selection policy file exports, and the registry (registry.ts) collects. */
import type { CheckedGroup } from '../next-hop-group.ts';
import type { PolicyName, Result } from '../types.ts';

/** A previous table with its group checked, as resilient rebalancing needs it. */
export interface CheckedPrevious {
  group: CheckedGroup;
  table: Uint32Array;
}

/** One policy: how it compiles a checked group into a table of next-hop indices. */
export interface Policy {
  name: PolicyName;
  /** Table size when the configuration gives none; absent when the policy has no size. */
  defaultSize?: number;
  build(group: CheckedGroup, size: number | undefined, previous: CheckedPrevious | undefined): Result<Uint32Array>;
}
