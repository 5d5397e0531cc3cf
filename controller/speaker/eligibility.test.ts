/** Each eligibility rule, one row per case. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import { EXCLUDE_LABEL } from '../api/types.ts';
import { nodeEligibility, readyEndpointsOn } from './eligibility.ts';
import { makeNode, makeService, makeSlice } from './testing.ts';

const SERVICE = 'shop/web';
const local = makeService(SERVICE, { ips: ['198.51.100.1'], policy: 'Local' });
const cluster = makeService(SERVICE, { ips: ['198.51.100.1'] });
const here = (pod: string, extra: { ready?: boolean; serving?: boolean; terminating?: boolean } = {}) => ({ node: 'n1', pod, ...extra });

const rows: { name: string; node: V1Node; service: V1Service; slices: V1EndpointSlice[]; eligible: boolean; endpoints: number; reason: RegExp }[] = [
  { name: 'Ready node, Cluster policy', node: makeNode('n1'), service: cluster, slices: [], eligible: true, endpoints: 0, reason: /Cluster/ },
  { name: 'Ready False', node: makeNode('n1', { ready: false }), service: cluster, slices: [], eligible: false, endpoints: 0, reason: /not Ready/ },
  { name: 'no Ready condition', node: makeNode('n1', { ready: 'no-condition' }), service: cluster, slices: [], eligible: false, endpoints: 0, reason: /not Ready/ },
  {
    name: 'exclusion label, whatever its value',
    node: makeNode('n1', { labels: { [EXCLUDE_LABEL]: '' } }),
    service: cluster, slices: [], eligible: false, endpoints: 0, reason: /exclude-from-external-load-balancers/,
  },
  {
    name: 'not Ready wins over Local endpoints',
    node: makeNode('n1', { ready: false }),
    service: local, slices: [makeSlice(SERVICE, 'web-1', [here('a')])], eligible: false, endpoints: 0, reason: /not Ready/,
  },
  { name: 'Local without slices', node: makeNode('n1'), service: local, slices: [], eligible: false, endpoints: 0, reason: /no ready endpoint/ },
  {
    name: 'Local, endpoints only on other nodes',
    node: makeNode('n1'), service: local,
    slices: [makeSlice(SERVICE, 'web-1', [{ node: 'n2', pod: 'a' }, { node: 'n3', pod: 'b' }])],
    eligible: false, endpoints: 0, reason: /no ready endpoint/,
  },
  {
    name: 'Local, one ready endpoint here (ready unset means ready)',
    node: makeNode('n1'), service: local, slices: [makeSlice(SERVICE, 'web-1', [here('a'), { node: 'n2', pod: 'b' }])],
    eligible: true, endpoints: 1, reason: /1 ready endpoint/,
  },
  {
    name: 'Local, endpoints across two slices',
    node: makeNode('n1'), service: local,
    slices: [makeSlice(SERVICE, 'web-1', [here('a', { ready: true })]), makeSlice(SERVICE, 'web-2', [here('b'), here('c')])],
    eligible: true, endpoints: 3, reason: /3 ready endpoint/,
  },
  {
    name: 'Local, the endpoint here is not ready',
    node: makeNode('n1'), service: local, slices: [makeSlice(SERVICE, 'web-1', [here('a', { ready: false, serving: false })])],
    eligible: false, endpoints: 0, reason: /no ready endpoint/,
  },
  {
    name: 'Local, serving but terminating does not count (kube-proxy health check)',
    node: makeNode('n1'), service: local,
    slices: [makeSlice(SERVICE, 'web-1', [here('a', { ready: false, serving: true, terminating: true })])],
    eligible: false, endpoints: 0, reason: /no ready endpoint/,
  },
  {
    name: 'Local, a slice of another Service with the same name in another namespace',
    node: makeNode('n1'), service: local, slices: [makeSlice('other/web', 'web-1', [here('a')])],
    eligible: false, endpoints: 0, reason: /no ready endpoint/,
  },
  {
    name: 'Local, dual stack: the pod in both families counts once',
    node: makeNode('n1'), service: local,
    slices: [makeSlice(SERVICE, 'web-v4', [here('a'), here('b')]), makeSlice(SERVICE, 'web-v6', [here('a'), here('b')], 'IPv6')],
    eligible: true, endpoints: 2, reason: /2 ready endpoint/,
  },
  {
    name: 'Local on an excluded node',
    node: makeNode('n1', { labels: { [EXCLUDE_LABEL]: 'true' } }), service: local, slices: [makeSlice(SERVICE, 'web-1', [here('a')])],
    eligible: false, endpoints: 0, reason: /exclude/,
  },
];

for (const row of rows) {
  test(`eligibility: ${row.name}`, () => {
    const result = nodeEligibility(row.node, row.service, row.slices);
    assert.equal(result.eligible, row.eligible);
    assert.equal(result.endpoints, row.endpoints);
    assert.match(result.reason, row.reason);
  });
}

test('endpoints without a target are told apart by address', () => {
  const slice = makeSlice(SERVICE, 'web-1', [here('a'), here('b')]);
  for (const endpoint of slice.endpoints) delete endpoint.targetRef;
  assert.equal(readyEndpointsOn('n1', local, [slice]), 2);
});
