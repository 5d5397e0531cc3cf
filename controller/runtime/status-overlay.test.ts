import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from './memory-store.ts';
import { registerStatusOverlay, statusOverlayOf, unregisterStatusOverlay, type StatusOverlay } from './status-overlay.ts';

describe('status overlay registry', () => {
  it('keeps one overlay per store, removed only by its owner', () => {
    const store = new MemoryStore();
    const first: StatusOverlay = (_kind, object) => object;
    const second: StatusOverlay = (_kind, object) => object;
    assert.equal(statusOverlayOf(store), undefined);
    registerStatusOverlay(store, first);
    registerStatusOverlay(store, second);
    unregisterStatusOverlay(store, first);
    assert.equal(statusOverlayOf(store), second);
    assert.equal(statusOverlayOf(new MemoryStore()), undefined);
    unregisterStatusOverlay(store, second);
    assert.equal(statusOverlayOf(store), undefined);
  });
});
