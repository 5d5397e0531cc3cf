import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { ownsService } from './service-ownership.ts';
import { ANNOTATIONS, LOAD_BALANCER_CLASS, OPENELB_LB_VALUE } from './types.ts';

const service = (type: string | undefined, loadBalancerClass?: string, annotation?: string): V1Service => ({
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: annotation === undefined ? undefined : { [ANNOTATIONS.loadBalancer]: annotation },
  },
  spec: { type, loadBalancerClass },
});

test('claims LoadBalancer Services by class, OpenELB annotation or default role', () => {
  const cases: [string, V1Service, boolean, boolean][] = [
    ['Porter class', service('LoadBalancer', LOAD_BALANCER_CLASS), false, true],
    ['Porter class, default', service('LoadBalancer', LOAD_BALANCER_CLASS), true, true],
    ['OpenELB annotation, no class', service('LoadBalancer', undefined, OPENELB_LB_VALUE), false, true],
    ['OpenELB annotation with another value', service('LoadBalancer', undefined, 'metallb'), false, false],
    ['no class, not default', service('LoadBalancer'), false, false],
    ['no class, default', service('LoadBalancer'), true, true],
    ['empty class reads as unset, default', service('LoadBalancer', ''), true, true],
    ['another class, default', service('LoadBalancer', 'metallb.io/metallb'), true, false],
    ['another class with the OpenELB annotation', service('LoadBalancer', 'example.com/lb', OPENELB_LB_VALUE), true, false],
    ['ClusterIP with Porter class', service('ClusterIP', LOAD_BALANCER_CLASS), true, false],
    ['NodePort with the OpenELB annotation', service('NodePort', undefined, OPENELB_LB_VALUE), true, false],
    ['no type', service(undefined), true, false],
  ];
  for (const [name, subject, isDefault, expected] of cases) {
    assert.equal(ownsService(subject, { isDefault }), expected, name);
  }
});

test('a Service without spec or metadata is not ours', () => {
  assert.equal(ownsService({}, { isDefault: true }), false);
  assert.equal(ownsService({ spec: { type: 'LoadBalancer' } }, { isDefault: true }), true);
});
