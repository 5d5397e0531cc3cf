import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CollisionInput, identifierValue, resolveCollision } from './collision.ts';
import type { SessionState } from './types.ts';

const CEASE_7 = { type: 'notification', code: 6, subcode: 7, data: '' };

function input(overrides: Partial<CollisionInput> = {}): CollisionInput {
  return {
    arriving: { state: 'OpenSent', initiator: 'remote' },
    existing: { state: 'OpenConfirm', initiator: 'local' },
    localId: '192.0.2.1',
    remoteId: '192.0.2.2',
    localAs: 65001,
    remoteAs: 65002,
    collisionDetectEstablishedState: false,
    ...overrides,
  };
}

test('identifiers compare as unsigned 32-bit integers (RFC 4271 section 6.8, step 1)', () => {
  assert.equal(identifierValue('255.255.255.255'), 0xffffffff);
  assert.equal(identifierValue('10.0.0.1'), 0x0a000001);
  assert.ok(identifierValue('128.0.0.0') > identifierValue('127.255.255.255'));
});

test('the connection initiated by the higher identifier survives', () => {
  const cases: [string, Partial<CollisionInput>, 'arriving' | 'existing'][] = [
    // Ours is lower: keep the one the peer initiated.
    ['remote higher, arriving is theirs', {}, 'arriving'],
    [
      'remote higher, existing is theirs',
      { arriving: { state: 'OpenSent', initiator: 'local' }, existing: { state: 'OpenConfirm', initiator: 'remote' } },
      'existing',
    ],
    // Ours is higher: keep the one we initiated.
    ['local higher, arriving is theirs', { localId: '192.0.2.9' }, 'existing'],
    [
      'local higher, existing is theirs',
      {
        localId: '192.0.2.9',
        arriving: { state: 'OpenSent', initiator: 'local' },
        existing: { state: 'OpenConfirm', initiator: 'remote' },
      },
      'arriving',
    ],
    ['numeric, not textual, order', { localId: '10.0.0.1', remoteId: '9.0.0.1' }, 'existing'],
    // Equal identifiers: the larger AS wins (RFC 6286 section 2.3).
    ['equal identifiers, remote AS larger', { remoteId: '192.0.2.1' }, 'arriving'],
    ['equal identifiers, local AS larger', { remoteId: '192.0.2.1', localAs: 65010 }, 'existing'],
  ];
  for (const [name, overrides, keep] of cases) {
    assert.deepEqual(
      resolveCollision(input(overrides)),
      { collision: true, keep, close: keep === 'arriving' ? 'existing' : 'arriving', notification: CEASE_7 },
      name,
    );
  }
});

test('no collision with a connection whose peer is not identified yet', () => {
  const states: SessionState[] = ['Idle', 'Connect', 'Active', 'OpenSent'];
  for (const state of states) {
    assert.deepEqual(resolveCollision(input({ existing: { state, initiator: 'local' } })), { collision: false }, state);
  }
});

test('two connections from the same initiator are no collision', () => {
  const same = input({ arriving: { state: 'OpenSent', initiator: 'local' } });
  assert.deepEqual(resolveCollision(same), { collision: false });
});

test('an Established session stays, unless CollisionDetectEstablishedState', () => {
  const established = { state: 'Established', initiator: 'local' } as const;
  assert.deepEqual(resolveCollision(input({ existing: established })), {
    collision: true,
    keep: 'existing',
    close: 'arriving',
    notification: CEASE_7,
  });
  assert.deepEqual(resolveCollision(input({ existing: established, collisionDetectEstablishedState: true })), {
    collision: true,
    keep: 'arriving',
    close: 'existing',
    notification: CEASE_7,
  });
});
