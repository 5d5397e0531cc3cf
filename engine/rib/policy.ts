/**
 * Import and export policy as plain data: statements tried in order, the first whose match holds
 * decides to accept (applying its actions) or reject; a route no statement matches is accepted
 * unchanged unless `otherwise` says reject. What a statement matches on is the route's family and
 * prefix (a prefix list with ge/le ranges); what it does is set or add communities of the three
 * kinds, set LOCAL_PREF or MED, prepend the AS path, and choose the next hop sent to the peer.
 *
 *     { statements: [
 *         { match: { prefixList: [{ action: 'permit', prefix: '198.51.100.0/24', le: 32 }] },
 *           actions: { communities: { add: ['65000:100'] }, med: 10 }, decision: 'accept' },
 *         { decision: 'reject' } ] }
 */
import { tsCodec } from '../wire/ts-codec.ts';
import type { AsPathSegment, ExtendedCommunity, Family, PathAttribute } from '../wire/types.ts';
import { findAttribute, withAttribute } from './attributes.ts';
import {
  editCommunities,
  editExtendedCommunities,
  editLargeCommunities,
  type CommunityEdit,
} from './communities.ts';
import { covers, maxLength, parsePrefix, type ParsedPrefix } from './prefix.ts';

export interface Policy {
  statements: PolicyStatement[];
  /** What happens to a route no statement matches; accept by default. */
  otherwise?: 'accept' | 'reject';
}

export interface PolicyStatement {
  /** Every condition given must hold; a statement without one matches every route. */
  match?: PolicyMatch;
  /** Applied when the decision is accept. */
  actions?: PolicyActions;
  decision: 'accept' | 'reject';
}

export interface PolicyMatch {
  families?: Family[];
  /** Holds when the list permits the prefix: its first matching entry decides, and none matching denies. */
  prefixList?: PrefixListEntry[];
}

/**
 * A prefix and the lengths it covers: exactly its own length when neither bound is given, else
 * from `ge` (default: its length) to `le` (default: the family's longest).
 */
export interface PrefixListEntry {
  action: 'permit' | 'deny';
  prefix: string;
  ge?: number;
  le?: number;
}

export interface PolicyActions {
  communities?: CommunityEdit<string>;
  extendedCommunities?: CommunityEdit<ExtendedCommunity>;
  largeCommunities?: CommunityEdit<string>;
  /** LOCAL_PREF: on import, the path's preference; on export, what iBGP peers receive. */
  localPref?: number;
  med?: number;
  /** Prepend `asn` (default: our AS on export, the peer's on import) `count` times. */
  asPathPrepend?: { count: number; asn?: number };
  /** Export only: our address as next hop, or the path's next hop kept, whatever the peer kind. */
  nextHop?: 'self' | 'unchanged';
}

/** The outcome for one route: rejected, or accepted by a statement (absent: by `otherwise`) with its actions. */
export type PolicyVerdict = { accept: false } | { accept: true; statement?: number; actions?: PolicyActions };

interface CompiledEntry {
  permit: boolean;
  range: ParsedPrefix;
  ge: number;
  le: number;
}

interface CompiledStatement {
  families?: ReadonlySet<Family>;
  prefixList?: CompiledEntry[];
}

const compiled = new WeakMap<Policy, CompiledStatement[]>();

/**
 * What is wrong with a policy, or undefined: a prefix list entry that is no prefix or whose
 * lengths cannot match, or an action whose values have no encoding (a community that is not
 * `high:low`, a MED past 32 bits), found by encoding what the actions write.
 */
export function policyProblem(policy: Policy): string | undefined {
  for (const [index, statement] of policy.statements.entries()) {
    if (statement.actions !== undefined) {
      const written = applyAttributeActions([], statement.actions, 1);
      try {
        tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes: written, nlri: [] });
      } catch (error) {
        return `statement ${index} actions: ${(error as Error).message}`;
      }
    }
    for (const entry of statement.match?.prefixList ?? []) {
      const range = parsePrefix(entry.prefix);
      if (range === undefined) return `prefix list entry ${entry.prefix} is not a prefix`;
      const ge = entry.ge ?? range.length;
      const le = entry.le ?? (entry.ge !== undefined ? maxLength(range.family) : range.length);
      if (!(range.length <= ge && ge <= le && le <= maxLength(range.family))) {
        const bounds = `needs ${range.length} <= ge <= le <= ${maxLength(range.family)}`;
        return `prefix list entry ${entry.prefix} ge ${ge} le ${le}: ${bounds}`;
      }
    }
  }
  return undefined;
}

function compile(policy: Policy): CompiledStatement[] {
  const known = compiled.get(policy);
  if (known !== undefined) return known;
  const problem = policyProblem(policy);
  if (problem !== undefined) throw new RangeError(problem);
  const statements = policy.statements.map(({ match }) => {
    const statement: CompiledStatement = {};
    if (match?.families !== undefined) statement.families = new Set(match.families);
    if (match?.prefixList !== undefined) {
      statement.prefixList = match.prefixList.map((entry) => {
        const range = parsePrefix(entry.prefix) as ParsedPrefix;
        const ge = entry.ge ?? range.length;
        const le = entry.le ?? (entry.ge !== undefined ? maxLength(range.family) : range.length);
        return { permit: entry.action === 'permit', range, ge, le };
      });
    }
    return statement;
  });
  compiled.set(policy, statements);
  return statements;
}

function prefixListPermits(entries: CompiledEntry[], prefix: ParsedPrefix | undefined): boolean {
  if (prefix === undefined) return false;
  for (const entry of entries) {
    if (prefix.length >= entry.ge && prefix.length <= entry.le && covers(entry.range, prefix)) return entry.permit;
  }
  return false;
}

/** Runs a policy over one route (its family and prefix); no policy accepts everything as it is. */
export function evaluatePolicy(policy: Policy | undefined, family: Family, prefix: string): PolicyVerdict {
  if (policy === undefined) return { accept: true };
  const statements = compile(policy);
  let parsed: ParsedPrefix | undefined | null = null;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    if (statement.families !== undefined && !statement.families.has(family)) continue;
    if (statement.prefixList !== undefined) {
      if (parsed === null) parsed = parsePrefix(prefix);
      if (!prefixListPermits(statement.prefixList, parsed)) continue;
    }
    const { decision, actions } = policy.statements[index];
    if (decision === 'reject') return { accept: false };
    return actions === undefined ? { accept: true, statement: index } : { accept: true, statement: index, actions };
  }
  return policy.otherwise === 'reject' ? { accept: false } : { accept: true };
}

/** `count` copies of `asn` before the path, in its leading AS_SEQUENCE when it has one (RFC 4271 section 5.1.2). */
export function prependAs(segments: readonly AsPathSegment[], asn: number, count: number): AsPathSegment[] {
  if (count <= 0) return [...segments];
  const added = new Array<number>(count).fill(asn);
  const [first, ...rest] = segments;
  if (first !== undefined && first.type === 'sequence') {
    return [{ type: 'sequence', asns: [...added, ...first.asns] }, ...rest];
  }
  return [{ type: 'sequence', asns: added }, ...segments];
}

/**
 * The attribute edits of a statement: communities, MED, LOCAL_PREF (as an attribute) and AS path
 * prepending. The next hop, and what LOCAL_PREF means for the path, are the caller's: they differ
 * between import and export.
 */
export function applyAttributeActions(
  attributes: readonly PathAttribute[],
  actions: PolicyActions,
  prependAsn: number,
): PathAttribute[] {
  let result = [...attributes];
  if (actions.communities !== undefined) result = editCommunities(result, actions.communities);
  if (actions.extendedCommunities !== undefined) result = editExtendedCommunities(result, actions.extendedCommunities);
  if (actions.largeCommunities !== undefined) result = editLargeCommunities(result, actions.largeCommunities);
  if (actions.med !== undefined) result = withAttribute(result, { type: 'med', value: actions.med });
  if (actions.localPref !== undefined) result = withAttribute(result, { type: 'local-pref', value: actions.localPref });
  if (actions.asPathPrepend !== undefined) {
    const segments = findAttribute(result, 'as-path')?.segments ?? [];
    const { count, asn = prependAsn } = actions.asPathPrepend;
    result = withAttribute(result, { type: 'as-path', segments: prependAs(segments, asn, count) });
  }
  return result;
}
