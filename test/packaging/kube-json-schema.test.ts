import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaPath, schemasFromCrd, schemasFromOpenApiV2 } from './kube-json-schema.ts';

test('schema paths follow the kubeconform template, core group under v1', () => {
  const cases: [string, string, string][] = [
    ['v1', 'Service', 'v1/service_v1.json'],
    ['apps/v1', 'DaemonSet', 'apps/daemonset_v1.json'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.authorization.k8s.io/clusterrole_v1.json'],
    ['network.kubesphere.io/v1alpha2', 'BgpPeer', 'network.kubesphere.io/bgppeer_v1alpha2.json'],
  ];
  for (const [apiVersion, kind, path] of cases) assert.equal(schemaPath(apiVersion, kind), path, `${apiVersion} ${kind}`);
});

test('OpenAPI v2: one file per kind, closed objects, nullable optional fields, int-or-string, reached definitions only', () => {
  const files = schemasFromOpenApiV2({
    definitions: {
      'io.k8s.api.core.v1.Thing': {
        type: 'object',
        required: ['spec'],
        properties: {
          spec: { $ref: '#/definitions/io.k8s.api.core.v1.ThingSpec' },
          note: { type: 'string' },
        },
        'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Thing' }],
      },
      'io.k8s.api.core.v1.ThingSpec': {
        type: 'object',
        properties: { port: { format: 'int-or-string', type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
      },
      'io.k8s.api.core.v1.Unrelated': { type: 'object', properties: { x: { type: 'string' } } },
    },
  });
  assert.deepEqual(files, [
    {
      path: 'v1/thing_v1.json',
      schema: {
        $schema: 'http://json-schema.org/draft-04/schema#',
        $ref: '#/definitions/io.k8s.api.core.v1.Thing',
        definitions: {
          'io.k8s.api.core.v1.Thing': {
            type: 'object',
            required: ['spec'],
            properties: { spec: { $ref: '#/definitions/io.k8s.api.core.v1.ThingSpec' }, note: { type: ['string', 'null'] } },
            'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Thing' }],
            additionalProperties: false,
          },
          'io.k8s.api.core.v1.ThingSpec': {
            type: 'object',
            properties: {
              port: { oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
              tags: { type: ['array', 'null'], items: { type: 'string' } },
            },
            additionalProperties: false,
          },
        },
      },
    },
  ]);
});

test('CRD: a file per version; preserve-unknown-fields and combinator branches stay open', () => {
  const [file] = schemasFromCrd({
    spec: {
      group: 'network.kubesphere.io',
      names: { kind: 'Eip' },
      versions: [
        {
          name: 'v1alpha2',
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { ttl: { 'x-kubernetes-int-or-string': true }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } } },
                  anyOf: [{ required: ['ttl'], properties: { ttl: {} } }],
                },
                status: { type: 'object', nullable: true },
              },
            },
          },
        },
      ],
    },
  });
  assert.equal(file?.path, 'network.kubesphere.io/eip_v1alpha2.json');
  const spec = (file?.schema.properties as Record<string, Record<string, unknown>>).spec;
  assert.equal(spec.additionalProperties, false);
  assert.deepEqual((spec.properties as Record<string, unknown>).ttl, { 'x-kubernetes-int-or-string': true, oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] });
  assert.equal(((spec.properties as Record<string, Record<string, unknown>>).extra).additionalProperties, undefined);
  assert.deepEqual(spec.anyOf, [{ required: ['ttl'], properties: { ttl: {} } }]);
  assert.deepEqual((file?.schema.properties as Record<string, unknown>).status, { type: ['object', 'null'], nullable: true });
});
