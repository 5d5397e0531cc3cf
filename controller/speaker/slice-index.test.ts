/** EndpointSlices by Service, following additions, label changes and deletions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SliceIndex, sliceServiceKey } from './slice-index.ts';
import { makeSlice } from './testing.ts';

test('a slice is found under its Service, moves with its label and goes when deleted', () => {
  const index = new SliceIndex();
  const web = makeSlice('shop/web', 'web-1', []);
  assert.equal(sliceServiceKey(web), 'shop/web');
  assert.deepEqual(index.set('shop/web-1', web), ['shop/web']);
  assert.deepEqual(index.set('shop/web-2', makeSlice('shop/web', 'web-2', [])), ['shop/web']);
  assert.deepEqual(index.slicesOf('shop/web'), ['shop/web-1', 'shop/web-2']);
  assert.deepEqual(index.set('shop/web-1', makeSlice('shop/api', 'web-1', [])), ['shop/web', 'shop/api'], 'both Services told');
  assert.deepEqual(index.slicesOf('shop/web'), ['shop/web-2']);
  assert.deepEqual(index.slicesOf('shop/api'), ['shop/web-1']);
  assert.deepEqual(index.set('shop/web-1', undefined), ['shop/api']);
  assert.deepEqual(index.slicesOf('shop/api'), []);
  const unlabelled = makeSlice('shop/web', 'stray', []);
  delete unlabelled.metadata!.labels;
  assert.deepEqual(index.set('shop/stray', unlabelled), []);
});
