import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PathAttribute } from '../wire/types.ts';
import type { PathSource } from './path.ts';
import { reflectedAttributes, reflectionDecision, reflectionLoop, type ReflectionDecision, type ReflectionTarget } from './reflection.ts';

const source = (kind: PathSource['kind'], rrClient = false): PathSource => ({
  peerAddress: '10.0.0.1',
  peerBgpId: '10.0.0.1',
  peerAs: kind === 'ebgp' ? 65001 : 65000,
  localAs: 65000,
  kind,
  rrClient,
});

test('RFC 4456 section 6: what is reflected to whom', () => {
  const client: ReflectionTarget = { kind: 'ibgp', rrClient: true };
  const nonClient: ReflectionTarget = { kind: 'ibgp', rrClient: false };
  const external: ReflectionTarget = { kind: 'ebgp', rrClient: false };
  const cases: [string, PathSource, ReflectionTarget, ReflectionDecision][] = [
    ['client to client', source('ibgp', true), client, 'reflect'],
    ['client to non-client', source('ibgp', true), nonClient, 'reflect'],
    ['client to eBGP', source('ibgp', true), external, 'advertise'],
    ['non-client to client', source('ibgp'), client, 'reflect'],
    ['non-client to non-client', source('ibgp'), nonClient, 'suppress'],
    ['non-client to eBGP', source('ibgp'), external, 'advertise'],
    ['eBGP to client', source('ebgp'), client, 'advertise'],
    ['eBGP to non-client', source('ebgp'), nonClient, 'advertise'],
    ['eBGP to eBGP', source('ebgp'), external, 'advertise'],
    ['local to client', source('local'), client, 'advertise'],
    ['local to non-client', source('local'), nonClient, 'advertise'],
    ['local to eBGP', source('local'), external, 'advertise'],
  ];
  for (const [name, from, to, decision] of cases) assert.equal(reflectionDecision(from, to), decision, name);
});

test('RFC 4456 section 8: ORIGINATOR_ID set when absent, CLUSTER_LIST prepended', () => {
  const origin: PathAttribute = { type: 'origin', value: 'igp' };
  const cases: { name: string; attributes: PathAttribute[]; reflected: PathAttribute[] }[] = [
    {
      name: 'first reflection',
      attributes: [origin],
      reflected: [origin, { type: 'originator-id', value: '10.0.0.1' }, { type: 'cluster-list', values: ['10.255.0.1'] }],
    },
    {
      name: 'reflected before',
      attributes: [origin, { type: 'originator-id', value: '10.0.0.9' }, { type: 'cluster-list', values: ['10.255.0.2'] }],
      reflected: [origin, { type: 'originator-id', value: '10.0.0.9' }, { type: 'cluster-list', values: ['10.255.0.1', '10.255.0.2'] }],
    },
  ];
  for (const { name, attributes, reflected } of cases) {
    assert.deepEqual(reflectedAttributes(attributes, source('ibgp', true), '10.255.0.1'), reflected, name);
  }
});

test('RFC 4456 section 8: routes that come back are recognised', () => {
  const self = { routerId: '10.0.0.100', clusterId: '10.255.0.1' };
  const cases: [string, PathAttribute[], ReturnType<typeof reflectionLoop>][] = [
    ['no reflection attributes', [], undefined],
    ['our router id as ORIGINATOR_ID', [{ type: 'originator-id', value: '10.0.0.100' }], 'originator-id'],
    ['another ORIGINATOR_ID', [{ type: 'originator-id', value: '10.0.0.7' }], undefined],
    ['our cluster in CLUSTER_LIST', [{ type: 'cluster-list', values: ['10.255.0.9', '10.255.0.1'] }], 'cluster-list'],
    ['other clusters', [{ type: 'cluster-list', values: ['10.255.0.9'] }], undefined],
  ];
  for (const [name, attributes, loop] of cases) assert.equal(reflectionLoop(attributes, self), loop, name);
});
