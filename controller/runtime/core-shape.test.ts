import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreShapeProblem } from './core-shape.ts';

test('accepts core objects as the API server returns them', () => {
  assert.equal(coreShapeProblem('Service', { metadata: { name: 'web', labels: { a: 'b' } }, spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } }), undefined);
  assert.equal(coreShapeProblem('EndpointSlice', { metadata: { name: 'e' }, endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'n', conditions: { ready: true } }] }), undefined);
  assert.equal(coreShapeProblem('Node', { metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: '192.0.2.1' }], conditions: [{ type: 'Ready', status: 'True' }] } }), undefined);
  assert.equal(coreShapeProblem('Eip', { spec: 5 }), undefined);
});

test('names the first field whose shape is wrong', () => {
  for (const [kind, object, problem] of [
    ['Service', { spec: { ports: 'x' } }, 'spec.ports: must be a list, not "x"'],
    ['Service', { spec: { ports: [{ port: 'x' }] } }, 'spec.ports[0].port: must be an integer, not "x"'],
    ['Service', { spec: null, status: { loadBalancer: { ingress: 'bad' } } }, 'status.loadBalancer.ingress: must be a list, not "bad"'],
    ['Service', { metadata: { annotations: { a: 1 } } }, 'metadata.annotations.a: must be a string, not 1'],
    ['EndpointSlice', { endpoints: 'x' }, 'endpoints: must be a list, not "x"'],
    ['Node', { metadata: { labels: 5 } }, 'metadata.labels: must be an object, not 5'],
    ['Node', { status: { conditions: [{ status: true }] } }, 'status.conditions[0].status: must be a string, not true'],
  ] as const) {
    assert.equal(coreShapeProblem(kind, object as Record<string, unknown>), problem);
  }
});
