import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { contentVersion, withContentVersion } from './content-version.ts';

describe('contentVersion', () => {
  const base: { metadata: V1ObjectMeta; spec: { port: number } } = { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { port: 80 } };

  it('ignores key order and the resourceVersion itself', () => {
    const reordered = { spec: { port: 80 }, metadata: { labels: { y: '2', x: '1' }, name: 'a', resourceVersion: '7' } };
    assert.equal(contentVersion(reordered), contentVersion(base));
  });

  it('changes with the content', () => {
    assert.notEqual(contentVersion({ ...base, spec: { port: 81 } }), contentVersion(base));
    assert.notEqual(contentVersion({ ...base, status: {} }), contentVersion(base));
  });

  it('withContentVersion sets it on a copy', () => {
    const stamped = withContentVersion(base);
    assert.equal(stamped.metadata.resourceVersion, contentVersion(base));
    assert.equal(base.metadata.resourceVersion, undefined);
    assert.equal(withContentVersion(stamped).metadata.resourceVersion, stamped.metadata.resourceVersion);
  });
});
