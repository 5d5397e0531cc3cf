import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExtendedCommunity, PathAttribute } from '../wire/types.ts';
import { applyAttributeActions, evaluatePolicy, policyProblem, prependAs, type Policy, type PrefixListEntry } from './policy.ts';

const permitting = (prefixList: PrefixListEntry[]): Policy => ({
  statements: [{ match: { prefixList }, decision: 'accept' }],
  otherwise: 'reject',
});

test('prefix lists: exact, ge, le, deny before permit, implicit deny', () => {
  const cases: { entries: PrefixListEntry[]; prefix: string; family?: string; accepted: boolean }[] = [
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24' }], prefix: '198.51.100.0/24', accepted: true },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24' }], prefix: '198.51.100.7/32', accepted: false },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', le: 32 }], prefix: '198.51.100.7/32', accepted: true },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', le: 32 }], prefix: '198.51.101.7/32', accepted: false },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', ge: 28 }], prefix: '198.51.100.0/26', accepted: false },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', ge: 28 }], prefix: '198.51.100.16/28', accepted: true },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', ge: 28 }], prefix: '198.51.100.1/32', accepted: true },
    { entries: [{ action: 'permit', prefix: '198.51.100.0/24', ge: 25, le: 30 }], prefix: '198.51.100.1/32', accepted: false },
    { entries: [{ action: 'permit', prefix: '0.0.0.0/0', le: 32 }], prefix: '203.0.113.0/24', accepted: true },
    { entries: [{ action: 'permit', prefix: '0.0.0.0/0', le: 32 }], prefix: '2001:db8::/32', family: 'ipv6-unicast', accepted: false },
    { entries: [{ action: 'permit', prefix: '2001:db8::/32', le: 128 }], prefix: '2001:db8:1::1/128', family: 'ipv6-unicast', accepted: true },
    {
      entries: [
        { action: 'deny', prefix: '198.51.100.128/25', le: 32 },
        { action: 'permit', prefix: '198.51.100.0/24', le: 32 },
      ],
      prefix: '198.51.100.200/32',
      accepted: false,
    },
    {
      entries: [
        { action: 'deny', prefix: '198.51.100.128/25', le: 32 },
        { action: 'permit', prefix: '198.51.100.0/24', le: 32 },
      ],
      prefix: '198.51.100.100/32',
      accepted: true,
    },
    { entries: [], prefix: '198.51.100.0/24', accepted: false },
  ];
  for (const { entries, prefix, family = 'ipv4-unicast', accepted } of cases) {
    assert.equal(evaluatePolicy(permitting(entries), family, prefix).accept, accepted, `${JSON.stringify(entries)} ${prefix}`);
  }
});

test('statements are tried in order and the first that matches decides', () => {
  const policy: Policy = {
    statements: [
      { match: { families: ['ipv6-unicast'] }, decision: 'reject' },
      { match: { prefixList: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] }, actions: { med: 5 }, decision: 'accept' },
      { match: { prefixList: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] }, actions: { med: 7 }, decision: 'accept' },
    ],
  };
  assert.deepEqual(evaluatePolicy(policy, 'ipv6-unicast', '2001:db8::/32'), { accept: false });
  assert.deepEqual(evaluatePolicy(policy, 'ipv4-unicast', '10.1.0.0/16'), { accept: true, statement: 1, actions: { med: 5 } });
  assert.deepEqual(evaluatePolicy(policy, 'ipv4-unicast', '192.0.2.0/24'), { accept: true });
  assert.deepEqual(evaluatePolicy({ ...policy, otherwise: 'reject' }, 'ipv4-unicast', '192.0.2.0/24'), { accept: false });
  assert.deepEqual(evaluatePolicy(undefined, 'ipv4-unicast', '192.0.2.0/24'), { accept: true });
});

test('prefix list entries that cannot match are refused', () => {
  const cases: [PrefixListEntry, string | undefined][] = [
    [{ action: 'permit', prefix: '10.0.0.0/8', ge: 16, le: 24 }, undefined],
    [{ action: 'permit', prefix: '10.0.0.0/8', ge: 4 }, 'prefix list entry 10.0.0.0/8 ge 4 le 32: needs 8 <= ge <= le <= 32'],
    [{ action: 'permit', prefix: '10.0.0.0/8', le: 33 }, 'prefix list entry 10.0.0.0/8 ge 8 le 33: needs 8 <= ge <= le <= 32'],
    [{ action: 'permit', prefix: '10.0.0.0/8', ge: 24, le: 16 }, 'prefix list entry 10.0.0.0/8 ge 24 le 16: needs 8 <= ge <= le <= 32'],
    [{ action: 'permit', prefix: 'ten/8' }, 'prefix list entry ten/8 is not a prefix'],
  ];
  for (const [entry, problem] of cases) {
    assert.equal(policyProblem({ statements: [{ match: { prefixList: [entry] }, decision: 'accept' }] }), problem);
  }
  assert.throws(
    () => evaluatePolicy({ statements: [{ match: { prefixList: [cases[1][0]] }, decision: 'accept' }] }, 'ipv4-unicast', '10.0.0.0/8'),
    RangeError,
  );
});

test('actions whose values have no encoding are refused', () => {
  const cases: [Parameters<typeof applyAttributeActions>[1], boolean][] = [
    [{ communities: { add: ['65000:1'] }, largeCommunities: { add: ['4200000000:1:2'] }, med: 10 }, true],
    [{ communities: { add: ['65000:70000'] } }, false],
    [{ communities: { add: ['no-export'] } }, false],
    [{ largeCommunities: { set: ['1:2'] } }, false],
    [{ med: 2 ** 32 }, false],
    [{ localPref: -1 }, false],
    [{ asPathPrepend: { count: 1, asn: 2 ** 32 } }, false],
  ];
  for (const [actions, fine] of cases) {
    const problem = policyProblem({ statements: [{ actions, decision: 'accept' }] });
    assert.equal(problem === undefined, fine, `${JSON.stringify(actions)}: ${problem}`);
    if (!fine) assert.match(problem as string, /^statement 0 actions: /);
  }
});

const base: PathAttribute[] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] },
  { type: 'communities', values: ['65000:1', '65000:2'] },
];
const bandwidth = (bandwidth: number): ExtendedCommunity => ({ type: 'link-bandwidth', transitive: true, asn: 65000, bandwidth });
const target: ExtendedCommunity = { type: 'route-target', form: 'as2', value: '65000:10' };

test('attribute actions', () => {
  const cases: { name: string; attributes: PathAttribute[]; actions: Parameters<typeof applyAttributeActions>[1]; result: PathAttribute[] }[] = [
    {
      name: 'add communities, keeping those present once',
      attributes: base,
      actions: { communities: { add: ['65000:2', '65000:3'] } },
      result: [base[0], base[1], { type: 'communities', values: ['65000:1', '65000:2', '65000:3'] }],
    },
    {
      name: 'set communities',
      attributes: base,
      actions: { communities: { set: ['65000:9'] } },
      result: [base[0], base[1], { type: 'communities', values: ['65000:9'] }],
    },
    {
      name: 'removing the last community removes the attribute',
      attributes: base,
      actions: { communities: { remove: ['65000:1', '65000:2'] } },
      result: [base[0], base[1]],
    },
    {
      name: 'extended communities: an added link bandwidth replaces the one there',
      attributes: [...base, { type: 'extended-communities', values: [target, bandwidth(1000)] }],
      actions: { extendedCommunities: { add: [bandwidth(3000)] } },
      result: [...base, { type: 'extended-communities', values: [target, bandwidth(3000)] }],
    },
    {
      name: 'extended communities added to a path without any',
      attributes: base,
      actions: { extendedCommunities: { add: [bandwidth(125000)] } },
      result: [...base, { type: 'extended-communities', values: [bandwidth(125000)] }],
    },
    {
      name: 'large communities',
      attributes: base,
      actions: { largeCommunities: { add: ['65000:1:2'] } },
      result: [...base, { type: 'large-communities', values: ['65000:1:2'] }],
    },
    {
      name: 'LOCAL_PREF and MED',
      attributes: base,
      actions: { localPref: 200, med: 50 },
      result: [...base, { type: 'med', value: 50 }, { type: 'local-pref', value: 200 }],
    },
    {
      name: 'prepend the default AS twice into the leading sequence',
      attributes: base,
      actions: { asPathPrepend: { count: 2 } },
      result: [base[0], { type: 'as-path', segments: [{ type: 'sequence', asns: [65000, 65000, 65001] }] }, base[2]],
    },
    {
      name: 'prepend a named AS',
      attributes: base,
      actions: { asPathPrepend: { count: 1, asn: 64999 } },
      result: [base[0], { type: 'as-path', segments: [{ type: 'sequence', asns: [64999, 65001] }] }, base[2]],
    },
  ];
  for (const { name, attributes, actions, result } of cases) assert.deepEqual(applyAttributeActions(attributes, actions, 65000), result, name);
});

test('prepending before a set or an empty path starts a sequence', () => {
  assert.deepEqual(prependAs([{ type: 'set', asns: [1, 2] }], 65000, 1), [
    { type: 'sequence', asns: [65000] },
    { type: 'set', asns: [1, 2] },
  ]);
  assert.deepEqual(prependAs([], 65000, 2), [{ type: 'sequence', asns: [65000, 65000] }]);
});
