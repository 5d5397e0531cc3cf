import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Service, V1ServiceSpec } from '@kubernetes/client-node';
import { ANNOTATIONS } from '../api/types.ts';
import { serviceRequest, type ServiceRequest } from './service-request.ts';

const service = (spec: V1ServiceSpec, annotations?: Record<string, string>): V1Service => ({
  metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { type: 'LoadBalancer', ...spec },
});

const read = (subject: V1Service): ServiceRequest => {
  const parsed = serviceRequest(subject);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
};

test('families follow ipFamilyPolicy, ipFamilies, then the requested addresses', () => {
  const cases: [string, V1Service, number[], string][] = [
    ['nothing said', service({}), [4], 'SingleStack'],
    ['SingleStack IPv6', service({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] }), [6], 'SingleStack'],
    ['ipFamilies without a policy is single stack', service({ ipFamilies: ['IPv6', 'IPv4'] }), [6], 'SingleStack'],
    ['SingleStack takes the first family', service({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6', 'IPv4'] }), [6], 'SingleStack'],
    ['PreferDualStack, both listed', service({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] }), [6, 4], 'PreferDualStack'],
    ['PreferDualStack, one listed', service({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] }), [4, 6], 'PreferDualStack'],
    ['RequireDualStack, none listed', service({ ipFamilyPolicy: 'RequireDualStack' }), [4, 6], 'RequireDualStack'],
    ['RequireDualStack, IPv6 first', service({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] }), [6, 4], 'RequireDualStack'],
    ['requested IPv6, nothing else said', service({ loadBalancerIP: '2001:db8::5' }), [6], 'SingleStack'],
    ['two requested, nothing else said', service({}, { [ANNOTATIONS.requestedIp]: '2001:db8::5,192.0.2.5' }), [6, 4], 'RequireDualStack'],
    ['dual policy orders requested families after ipFamilies', service({ ipFamilyPolicy: 'PreferDualStack' }, { [ANNOTATIONS.requestedIp]: '2001:db8::5' }), [6, 4], 'PreferDualStack'],
  ];
  for (const [name, subject, families, policy] of cases) {
    const request = read(subject);
    assert.deepEqual(request.families, families, name);
    assert.equal(request.familyPolicy, policy, name);
  }
});

test('reads key, pools, requested addresses, sharing key, ports and traffic policy', () => {
  assert.deepEqual(
    read(
      service(
        {
          loadBalancerIP: '192.0.2.9',
          externalTrafficPolicy: 'Local',
          ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }],
        },
        {
          [ANNOTATIONS.eipPool]: ' eip-a , eip-b ',
          [ANNOTATIONS.sharingKey]: 'front',
          [ANNOTATIONS.metallbSharingKey]: 'ignored',
        },
      ),
    ),
    {
      key: 'shop/web',
      namespace: 'shop',
      families: [4],
      familyPolicy: 'SingleStack',
      pools: ['eip-a', 'eip-b'],
      requested: ['192.0.2.9'],
      sharingKey: 'front',
      ports: [
        { protocol: 'TCP', port: 80 },
        { protocol: 'UDP', port: 53 },
      ],
      externalTrafficPolicy: 'Local',
    },
  );
});

test('reads the annotation before spec.loadBalancerIP, canonicalises, and falls back to MetalLB sharing', () => {
  const cases: [string, V1Service, Partial<ServiceRequest>][] = [
    ['annotation wins', service({ loadBalancerIP: '192.0.2.1' }, { [ANNOTATIONS.requestedIp]: '192.0.2.2' }), { requested: ['192.0.2.2'] }],
    ['IPv6 canonical', service({ loadBalancerIP: '2001:DB8:0:0:0:0:0:0A' }), { requested: ['2001:db8::a'] }],
    ['empty loadBalancerIP', service({ loadBalancerIP: '' }), { requested: [] }],
    ['MetalLB key', service({}, { [ANNOTATIONS.metallbSharingKey]: 'k' }), { sharingKey: 'k' }],
    ['empty Porter key falls back', service({}, { [ANNOTATIONS.sharingKey]: '', [ANNOTATIONS.metallbSharingKey]: 'k' }), { sharingKey: 'k' }],
    ['no namespace is default', { metadata: { name: 'x' }, spec: {} }, { key: 'default/x', namespace: 'default' }],
    ['traffic policy defaults to Cluster', service({}), { externalTrafficPolicy: 'Cluster', pools: [], ports: [] }],
  ];
  for (const [name, subject, expected] of cases) {
    const request = read(subject);
    for (const [field, value] of Object.entries(expected)) {
      assert.deepEqual(request[field as keyof ServiceRequest], value, `${name}: ${field}`);
    }
  }
  assert.equal('sharingKey' in read(service({})), false);
});

test('names what is wrong with a request it cannot serve', () => {
  const cases: [string, V1Service, RegExp][] = [
    ['no name', { metadata: {}, spec: {} }, /no name/],
    ['bad address', service({ loadBalancerIP: '192.0.2.300' }), /192\.0\.2\.300 is not an IP address/],
    ['two of a family', service({ ipFamilyPolicy: 'RequireDualStack' }, { [ANNOTATIONS.requestedIp]: '192.0.2.1,192.0.2.2' }), /two of one family/],
    ['wrong family', service({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }, { [ANNOTATIONS.requestedIp]: '2001:db8::1' }), /not of the Service's family IPv4/],
    ['two requested, single stack', service({ ipFamilies: ['IPv4'] }, { [ANNOTATIONS.requestedIp]: '192.0.2.1,2001:db8::1' }), /2001:db8::1 is not of/],
    ['unknown family', service({ ipFamilies: ['IPv5'] }), /IPv5/],
    ['unknown policy', service({ ipFamilyPolicy: 'AnyStack' }), /AnyStack/],
  ];
  for (const [name, subject, error] of cases) {
    const parsed = serviceRequest(subject);
    assert.equal(parsed.ok, false, name);
    if (!parsed.ok) assert.match(parsed.error, error, name);
  }
});
