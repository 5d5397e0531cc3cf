/** The status entry of a peer, from the engine's view and from a refused configuration. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerStatus } from '../../engine/speaker/status.ts';
import { nodePeerStatus, sessionStateName } from './peer-status.ts';

const engine = (overrides: Partial<PeerStatus>): PeerStatus => ({
  address: '192.0.2.254',
  asn: 65000,
  description: null,
  state: 'Established',
  enabled: true,
  uptime: 5,
  received: 3,
  accepted: 3,
  advertised: 7,
  lastError: null,
  families: ['ipv4-unicast'],
  addPath: {},
  gracefulRestart: 'none',
  ...overrides,
});

test('GoBGP session state names', () => {
  assert.deepEqual(
    (['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'] as const).map(sessionStateName),
    ['IDLE', 'CONNECT', 'ACTIVE', 'OPENSENT', 'OPENCONFIRM', 'ESTABLISHED'],
  );
});

test('an Established session: uptime as RFC 3339, prefix counts, identity', () => {
  const status = nodePeerStatus({
    neighborAddress: '192.0.2.254',
    peerAs: 65000,
    localAs: 65001,
    description: 'tor-1',
    adminDown: false,
    engine: engine({}),
    peerRouterId: '192.0.2.254',
    upSince: Date.UTC(2024, 0, 2, 3, 4, 5),
    flops: 1,
  });
  assert.deepEqual(status, {
    peerState: {
      sessionState: 'ESTABLISHED', neighborAddress: '192.0.2.254', peerAs: 65000, adminDown: false, adminState: 'UP',
      flops: 1, localAs: 65001, description: 'tor-1', routerId: '192.0.2.254',
    },
    timersState: { uptime: '2024-01-02T03:04:05.000Z' },
    prefixesReceived: 3,
    prefixesAdvertised: 7,
  });
});

test('a session down: no uptime, the down time and the last error', () => {
  const status = nodePeerStatus({
    neighborAddress: '192.0.2.254',
    peerAs: 65000,
    adminDown: true,
    engine: engine({ state: 'Idle', lastError: 'hold-timer-expired' }),
    upSince: 1,
    downSince: Date.UTC(2024, 0, 2),
    flops: 2,
  });
  assert.equal(status.peerState.sessionState, 'IDLE');
  assert.equal(status.peerState.adminState, 'DOWN');
  assert.deepEqual(status.timersState, { downtime: '2024-01-02T00:00:00.000Z' });
  assert.equal(status.lastError, 'hold-timer-expired');
});

test('refused settings: IDLE, no counts, the reason as last error', () => {
  const status = nodePeerStatus({ neighborAddress: 'tor-1', peerAs: 65000, adminDown: false, flops: 0, error: 'conf.neighborAddress: bad' });
  assert.deepEqual(status, {
    peerState: { sessionState: 'IDLE', neighborAddress: 'tor-1', peerAs: 65000, adminDown: false, adminState: 'UP', flops: 0 },
    lastError: 'conf.neighborAddress: bad',
  });
});
