import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheKey, goVersionFromFile, kubernetesVersion } from './cache-key.ts';

const inputs = [
  { name: 'apiserver/go.mod', content: 'module a' },
  { name: 'apiserver/go.sum', content: 'sum' },
];

test('cacheKey is 16 hex digits, independent of input order', () => {
  const key = cacheKey(inputs, 'go1.26.8');
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(cacheKey([...inputs].reverse(), 'go1.26.8'), key);
});

test('cacheKey changes with any content, any name or the Go version', () => {
  const key = cacheKey(inputs, 'go1.26.8');
  const variants = [
    cacheKey(inputs, 'go1.26.9'),
    cacheKey([inputs[0], { ...inputs[1], content: 'sum2' }], 'go1.26.8'),
    cacheKey([inputs[0], { ...inputs[1], name: 'etcd/go.sum' }], 'go1.26.8'),
    // The same bytes split differently between two files.
    cacheKey([{ ...inputs[0], content: 'module as' }, { ...inputs[1], content: 'um' }], 'go1.26.8'),
  ];
  for (const variant of variants) assert.notEqual(variant, key);
});

test('kubernetesVersion reads the k8s.io/kubernetes requirement', () => {
  const cases: Array<[string, string | undefined]> = [
    ['require k8s.io/kubernetes v1.34.4\n', 'v1.34.4'],
    ['require (\n\tk8s.io/kubernetes v1.33.13 // indirect\n)\n', 'v1.33.13'],
    ['// k8s.io/kubernetes v1.0.0 in a comment\nrequire k8s.io/api v0.34.4\n', undefined],
    ['replace k8s.io/api => k8s.io/api v0.34.4\n', undefined],
  ];
  for (const [goMod, expected] of cases) assert.equal(kubernetesVersion(goMod), expected, goMod);
});

test('goVersionFromFile reads the first line of GOROOT/VERSION', () => {
  assert.equal(goVersionFromFile('go1.26.8\ntime 2026-08-28T16:20:06Z\n'), 'go1.26.8');
  assert.equal(goVersionFromFile('devel +abc\n'), undefined);
});
