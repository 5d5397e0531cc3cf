/** Every selection policy, by name: the one place a new policy file is registered. */
import type { PolicyName } from '../types.ts';
import { maglevPolicy } from './maglev.ts';
import { moduloPolicy } from './modulo.ts';
import type { Policy } from './policy.ts';
import { resilientPolicy } from './resilient.ts';

export const POLICIES: Record<PolicyName, Policy> = {
  modulo: moduloPolicy,
  resilient: resilientPolicy,
  maglev: maglevPolicy,
};

/** The policy of that name, or undefined for a name no file registers. */
export function policyNamed(name: string): Policy | undefined {
  return Object.hasOwn(POLICIES, name) ? POLICIES[name as PolicyName] : undefined;
}
