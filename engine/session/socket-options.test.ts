/**
 * Socket options through the native addon, on loopback: TCP-MD5 (RFC 2385) on connecting and
 * listening sockets, the TTL of eBGP multihop and GTSM (RFC 5082) read back with getsockopt, and a
 * clear refusal when the addon is missing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeerDriver } from './driver.ts';
import type { PeerConfigInput } from './driver-config.ts';
import { isBinding, loadSocketOptions } from './driver-socket-options.ts';
import { Cleanup, loopbackPeer, nextEvent, pause, rawOpen, until } from './driver-testing.ts';
import { socketFd } from './socket-fd.ts';

const options = loadSocketOptions();
const binding = isBinding(options) ? options : undefined;
const skip = binding === undefined ? `native addon: ${'error' in options ? options.error : ''}` : false;

/** How long two misconfigured peers are given to (not) establish. */
const NO_SESSION_MS = 2500;

interface Side {
  address: string;
  /** Where this side listens; `::` for a dual-stack listener. */
  listen?: string;
  extra?: Partial<PeerConfigInput>;
}

/** A (active, AS 65001) and B (passive, AS 65002), each with its own listener. */
async function pair(cleanup: Cleanup, a: Side, b: Side): Promise<{ a: PeerDriver; b: PeerDriver }> {
  const listenA = await cleanup.listener([{ address: a.listen ?? a.address, port: 0 }]);
  const listenB = await cleanup.listener([{ address: b.listen ?? b.address, port: 0 }]);
  const driverA = cleanup.driver(
    loopbackPeer({ remoteAddress: b.address, localAddress: a.address, remotePort: listenB.addresses()[0].port, ...a.extra }),
  );
  const driverB = cleanup.driver(
    loopbackPeer({
      localAs: 65002,
      routerId: '192.0.2.2',
      peerAs: 65001,
      remoteAddress: a.address,
      localAddress: b.address,
      remotePort: listenA.addresses()[0].port,
      passive: true,
      ...b.extra,
    }),
  );
  listenA.addPeer(driverA);
  listenB.addPeer(driverB);
  return { a: driverA, b: driverB };
}

async function establish(a: PeerDriver, b: PeerDriver): Promise<void> {
  const both = Promise.all([nextEvent(a, 'established'), nextEvent(b, 'established')]);
  b.start();
  a.start();
  await both;
}

/** Starts both and checks that no session comes up within a bounded time. */
async function neverEstablish(a: PeerDriver, b: PeerDriver): Promise<void> {
  let established = false;
  a.on('established', () => (established = true));
  b.on('established', () => (established = true));
  b.start();
  a.start();
  await pause(NO_SESSION_MS);
  assert.equal(established, false);
  assert.notEqual(a.state, 'Established');
  assert.equal(b.connectionCount, 0, 'the kernel dropped the segments: no connection reached the listener');
}

function ttlOf(driver: PeerDriver): { ttl: number; minTtl: number } {
  assert.ok(binding !== undefined && driver.socket !== undefined);
  return binding.getSocketTtl(socketFd(driver.socket), driver.remoteAddress);
}

test('TCP-MD5: the same password on both sides establishes, over IPv4 and IPv6', { skip }, async () => {
  for (const [addressA, addressB] of [
    ['127.0.0.1', '127.0.0.2'],
    ['::1', '::1'],
  ]) {
    const cleanup = new Cleanup();
    try {
      const secret = { password: 'correct horse battery staple' };
      const { a, b } = await pair(cleanup, { address: addressA, extra: secret }, { address: addressB, extra: secret });
      await establish(a, b);
      assert.equal(a.state, 'Established', addressA);
    } finally {
      await cleanup.run();
    }
  }
});

test('TCP-MD5: a dual-stack listener keys an IPv4 peer by its mapped address', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    const secret = { password: 'mapped' };
    const { a, b } = await pair(
      cleanup,
      { address: '127.0.0.1', extra: secret },
      { address: '127.0.0.2', listen: '::', extra: secret },
    );
    await establish(a, b);
    assert.equal(b.state, 'Established');
  } finally {
    await cleanup.run();
  }
});

test('TCP-MD5: different passwords never establish', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(
      cleanup,
      { address: '127.0.0.1', extra: { password: 'alpha' } },
      { address: '127.0.0.2', extra: { password: 'beta' } },
    );
    await neverEstablish(a, b);
  } finally {
    await cleanup.run();
  }
});

test('TCP-MD5: a password on one side only never establishes', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, { address: '127.0.0.1', extra: { password: 'alpha' } }, { address: '127.0.0.2' });
    await neverEstablish(a, b);
  } finally {
    await cleanup.run();
  }
});

test('TTL: the configured one for multihop, 1 for directly connected eBGP, the default for iBGP', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, { address: '127.0.0.1', extra: { ttl: 5 } }, { address: '127.0.0.2' });
    await establish(a, b);
    assert.deepEqual(ttlOf(a), { ttl: 5, minTtl: 0 }, 'multihop, set before connecting');
    assert.deepEqual(ttlOf(b), { ttl: 1, minTtl: 0 }, 'eBGP default, set on the accepted socket');
  } finally {
    await cleanup.run();
  }
  const ibgp = new Cleanup();
  try {
    const same = { localAs: 65001, peerAs: 65001 };
    const { a, b } = await pair(ibgp, { address: '127.0.0.1', extra: same }, { address: '127.0.0.2', extra: same });
    await establish(a, b);
    assert.deepEqual(ttlOf(a), { ttl: 64, minTtl: 0 }, 'iBGP keeps the system default');
  } finally {
    await ibgp.run();
  }
});

test('GTSM: TTL 255 sent and 255 - hops + 1 required, over IPv4 and IPv6', { skip }, async () => {
  for (const [addressA, addressB] of [
    ['127.0.0.1', '127.0.0.2'],
    ['::1', '::1'],
  ]) {
    const cleanup = new Cleanup();
    try {
      const { a, b } = await pair(
        cleanup,
        { address: addressA, extra: { ttlSecurityHops: 1 } },
        { address: addressB, extra: { ttlSecurityHops: 3 } },
      );
      await establish(a, b);
      assert.deepEqual(ttlOf(a), { ttl: 255, minTtl: 255 }, `${addressA}: one hop`);
      assert.deepEqual(ttlOf(b), { ttl: 255, minTtl: 253 }, `${addressB}: three hops`);
    } finally {
      await cleanup.run();
    }
  }
});

test('GTSM: a peer whose packets arrive below the minimum TTL is not heard', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    // B sends with TTL 1 (eBGP default) and 64 (its listener's handshake): A requires 255.
    const { a, b } = await pair(cleanup, { address: '127.0.0.1', extra: { ttlSecurityHops: 1 } }, { address: '127.0.0.2' });
    let established = false;
    a.on('established', () => (established = true));
    b.start();
    a.start();
    await pause(NO_SESSION_MS);
    assert.equal(established, false);
    assert.notEqual(a.state, 'Established');
  } finally {
    await cleanup.run();
  }
});

test('without the addon, a peer that needs socket options is refused with the reason', () => {
  const missing = { socketOptions: { error: 'native addon not loaded: test' } };
  const base = { localAs: 65001, routerId: '192.0.2.1', peerAs: 65002, remoteAddress: '127.0.0.2' };
  for (const [extra, named] of [
    [{ password: 'secret' }, /TCP-MD5 \(password\) needs the native addon.*native addon not loaded: test/],
    [{ ttlSecurityHops: 1 }, /GTSM \(ttlSecurityHops\) needs the native addon/],
    [{ ttl: 2 }, /TTL \(ttl\) needs the native addon/],
  ] as const) {
    assert.throws(() => new PeerDriver({ ...base, ...extra }, missing), named);
  }
  // The eBGP default TTL of 1 is not asked for: such a peer runs, with the system's TTL.
  const plain = new PeerDriver(base, missing);
  assert.throws(() => plain.updateConfig({ ...base, password: 'secret' }), /TCP-MD5/);
  assert.equal(plain.config.transport.password, undefined, 'the refused change left the configuration as it was');
  plain.dispose();
});

test('without the addon, a plain eBGP peer runs with the system TTL', async () => {
  const cleanup = new Cleanup();
  try {
    const listener = await cleanup.listener([{ address: '127.0.0.1', port: 0 }], {
      socketOptions: { error: 'native addon not loaded: test' },
    });
    const driver = cleanup.driver(loopbackPeer({ remoteAddress: '127.0.0.8', passive: true }), {
      socketOptions: { error: 'native addon not loaded: test' },
    });
    listener.addPeer(driver);
    driver.start();
    const peer = await cleanup.rawPeer('127.0.0.1', listener.addresses()[0].port, '127.0.0.8');
    const up = nextEvent(driver, 'established');
    await peer.establish(rawOpen(65002, '192.0.2.2'));
    await up;
    if (binding !== undefined) assert.equal(ttlOf(driver).ttl, 64);
  } finally {
    await cleanup.run();
  }
});

test('a password change reaches the listener, and the session starts over to use it', { skip }, async () => {
  const cleanup = new Cleanup();
  try {
    const { a, b } = await pair(cleanup, { address: '127.0.0.1' }, { address: '127.0.0.2' });
    await establish(a, b);
    const downA = nextEvent(a, 'down');
    assert.equal(b.updateConfig({ ...b.config.session, ...b.config.transport, password: 'new' }), 'reset');
    const [report] = await downA;
    assert.deepEqual([report.received?.code, report.received?.subcode], [6, 6], 'Cease/6 Other Configuration Change');
    // A has no password yet: the listener of B now drops its segments.
    await pause(1500);
    assert.notEqual(b.state, 'Established');
    a.updateConfig({ ...a.config.session, ...a.config.transport, password: 'new' });
    await until(() => a.state === 'Established' && b.state === 'Established', 'both Established with the new key', 8000);
  } finally {
    await cleanup.run();
  }
});
