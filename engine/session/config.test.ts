import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_DEFAULTS, sessionConfig, type SessionConfigInput } from './config.ts';

const required = { localAs: 65001, routerId: '192.0.2.1', peerAs: 65002 };

test('defaults fill what is not given, undefined included', () => {
  assert.deepEqual(sessionConfig(required), { ...SESSION_DEFAULTS, ...required });
  assert.equal(sessionConfig({ ...required, holdTime: undefined }).holdTime, 90);
  assert.equal(sessionConfig({ ...required, holdTime: 0 }).holdTime, 0);
});

test('configurations no session could run with are refused', () => {
  const cases: [string, Partial<SessionConfigInput>][] = [
    ['local AS 0', { localAs: 0 }],
    ['peer AS beyond 32 bits', { peerAs: 2 ** 32 }],
    ['router id 0.0.0.0', { routerId: '0.0.0.0' }],
    ['router id not an address', { routerId: 'node-1' }],
    ['hold time 1', { holdTime: 1 }],
    ['hold time 2', { holdTime: 2 }],
    ['hold time beyond 16 bits', { holdTime: 70000 }],
    ['no OpenSent hold time', { openHoldTime: 0 }],
    ['backoff cap below base', { connectRetry: { base: 10, cap: 5 } }],
    ['zero idle hold', { idleHold: { base: 0, cap: 5 } }],
    ['negative DelayOpen', { delayOpenTime: -1 }],
    ['no damping reset', { dampingResetTime: 0 }],
  ];
  for (const [name, overrides] of cases) {
    assert.throws(() => sessionConfig({ ...required, ...overrides }), RangeError, name);
  }
  assert.equal(sessionConfig({ ...required, holdTime: 3, localAs: 4294967295 }).holdTime, 3);
});
