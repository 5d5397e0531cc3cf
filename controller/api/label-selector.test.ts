import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelKeyProblem, labelSelectorMatches, labelsMatch, labelValueProblem, type LabelSelector, type Labels } from './label-selector.ts';

const node: Labels = { 'openelb.kubesphere.io/rack': 'leaf1', zone: 'a', empty: '' };

describe('labelSelectorMatches', () => {
  const cases: [string, LabelSelector, Labels | undefined, boolean][] = [
    ['empty selector, any labels', {}, node, true],
    ['empty selector, no labels', {}, undefined, true],
    ['matchLabels equal', { matchLabels: { 'openelb.kubesphere.io/rack': 'leaf1' } }, node, true],
    ['matchLabels differ', { matchLabels: { 'openelb.kubesphere.io/rack': 'leaf2' } }, node, false],
    ['matchLabels missing key', { matchLabels: { role: 'edge' } }, node, false],
    ['matchLabels on an empty value', { matchLabels: { empty: '' } }, node, true],
    ['In, value listed', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, node, true],
    ['In, value not listed', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, node, false],
    ['In, key missing', { matchExpressions: [{ key: 'role', operator: 'In', values: ['edge'] }] }, node, false],
    ['NotIn, value listed', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, node, false],
    ['NotIn, value not listed', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }, node, true],
    ['NotIn, key missing', { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['edge'] }] }, node, true],
    ['Exists', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, node, true],
    ['Exists, key missing', { matchExpressions: [{ key: 'role', operator: 'Exists' }] }, node, false],
    ['Exists, no labels', { matchExpressions: [{ key: 'role', operator: 'Exists' }] }, undefined, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, node, false],
    ['DoesNotExist, key missing', { matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, node, true],
    ['unknown operator', { matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] }, node, false],
    [
      'matchLabels and matchExpressions are ANDed',
      { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'openelb.kubesphere.io/rack', operator: 'In', values: ['leaf2'] }] },
      node,
      false,
    ],
    ['a key named like a prototype member', { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, node, false],
  ];
  for (const [name, selector, labels, expected] of cases) {
    it(name, () => assert.equal(labelSelectorMatches(selector, labels), expected));
  }
});

describe('labelsMatch (Eip namespaceSelector)', () => {
  it('needs every pair', () => {
    assert.equal(labelsMatch({ zone: 'a' }, node), true);
    assert.equal(labelsMatch({ zone: 'a', team: 'x' }, node), false);
    assert.equal(labelsMatch({}, undefined), true);
    assert.equal(labelsMatch({ zone: 'a' }, undefined), false);
  });
});

describe('label syntax', () => {
  const keys: [string, boolean][] = [
    ['zone', true],
    ['openelb.kubesphere.io/rack', true],
    ['kubernetes.io/hostname', true],
    ['a_b.c-d', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['-zone', false],
    ['zone-', false],
    ['Upper.Case/name', false],
    ['/name', false],
    ['prefix/', false],
    ['a/b/c', false],
    ['', false],
  ];
  for (const [key, valid] of keys) {
    it(`key ${JSON.stringify(key)} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(labelKeyProblem(key) === undefined, valid));
  }
  const values: [string, boolean][] = [
    ['', true],
    ['leaf1', true],
    ['Leaf_1.a-b', true],
    ['x'.repeat(64), false],
    ['a b', false],
    ['.a', false],
  ];
  for (const [value, valid] of values) {
    it(`value ${JSON.stringify(value)} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(labelValueProblem(value) === undefined, valid));
  }
});
