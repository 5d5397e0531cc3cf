/** Peers changed one at a time: updates with and without a reset, max-prefix, route refresh, disable and remove. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Speaker } from '../speaker.ts';
import { entryOf, peered, Speakers, until } from './testing.ts';

const HUB = '127.0.36.10';
const ONE = '127.0.36.1';
const TWO = '127.0.36.2';
const ROUTE = '198.51.100.36/32';

/** A hub with two peers in session, each announcing one route. */
async function star(speakers: Speakers): Promise<{ hub: Speaker; one: Speaker; two: Speaker }> {
  const hub = await speakers.start(HUB, 65000);
  const one = await speakers.start(ONE, 65001);
  const two = await speakers.start(TWO, 65002);
  await peered(one, ONE, hub, HUB);
  await peered(two, TWO, hub, HUB);
  one.announce([{ prefix: '203.0.113.1/32' }]);
  two.announce([{ prefix: '203.0.113.2/32' }]);
  hub.announce([{ prefix: ROUTE }]);
  await until(() => hub.locRib('ipv4-unicast').length === 3, 'both peers\' routes at the hub');
  await until(() => entryOf(one, 'ipv4-unicast', ROUTE) !== undefined && entryOf(two, 'ipv4-unicast', ROUTE) !== undefined, 'the hub route at both');
  return { hub, one, two };
}

test('updating one peer applies policy without a reset, and a reset of it leaves the other session alone', async () => {
  const speakers = new Speakers();
  try {
    const { hub, one, two } = await star(speakers);
    const downs: string[] = [];
    hub.on('peer-down', ({ peer }) => downs.push(peer));
    const twoUp = hub.neighbor(TWO).uptime;

    const exportPolicy = { statements: [{ actions: { communities: { add: ['65000:99'] } }, decision: 'accept' as const }] };
    assert.deepEqual(hub.updatePeer({ address: ONE, exportPolicy }), { reset: false });
    await until(
      () => entryOf(one, 'ipv4-unicast', ROUTE)!.paths[0].attributes.some((attribute) => attribute.type === 'communities'),
      'the new export policy applied to the running session',
    );
    assert.equal(entryOf(two, 'ipv4-unicast', ROUTE)!.paths[0].attributes.some(({ type }) => type === 'communities'), false);
    assert.deepEqual(hub.updatePeer({ address: ONE, holdTime: 30 }), { reset: false }, 'a hold time waits for the next OPEN');
    assert.equal(downs.length, 0, 'no session went down');

    assert.deepEqual(hub.updatePeer({ address: ONE, families: ['ipv4-unicast', 'ipv6-unicast'] }), { reset: true });
    await until(() => downs.includes(ONE), 'the changed peer reset');
    await until(() => hub.neighbor(ONE).state === 'Established', 'the changed peer back', 15_000);
    assert.deepEqual(hub.neighbor(ONE).families, ['ipv4-unicast'], 'negotiated: the peer still offers IPv4 alone');
    assert.deepEqual(downs, [ONE], 'the other session never went down');
    assert.equal(hub.neighbor(TWO).state, 'Established');
    assert.ok(hub.neighbor(TWO).uptime! >= twoUp!);
  } finally {
    await speakers.cleanup();
  }
});

test('a peer past its max-prefix gets Cease/1 and its paths go', async () => {
  const speakers = new Speakers();
  try {
    const hub = await speakers.start(HUB, 65000);
    const one = await speakers.start(ONE, 65001);
    await peered(one, ONE, hub, HUB, { b: { maxPrefix: 2 } });
    one.announce([{ prefix: '203.0.113.1/32' }, { prefix: '203.0.113.2/32' }]);
    await until(() => hub.locRib('ipv4-unicast').length === 2, 'two routes at the hub');
    one.announce([{ prefix: '203.0.113.3/32' }]);
    await until(() => one.neighbor(HUB).lastError !== null, 'the peer told');
    assert.match(one.neighbor(HUB).lastError!, /received NOTIFICATION 6\/1/);
    assert.match(hub.neighbor(ONE).lastError!, /max-prefix/);
    assert.equal(hub.locRib('ipv4-unicast').length, 0, 'its paths gone, no graceful restart after a NOTIFICATION');
  } finally {
    await speakers.cleanup();
  }
});

test('route refresh: the peer sends its Adj-RIB-Out again, and a new import policy applies to it', async () => {
  const speakers = new Speakers();
  try {
    const logs: Record<string, unknown>[] = [];
    const hub = await speakers.start(HUB, 65000, {}, { logger: (entry) => logs.push(entry) });
    const one = await speakers.start(ONE, 65001);
    await peered(one, ONE, hub, HUB);
    hub.announce([{ prefix: ROUTE }]);
    await until(() => entryOf(one, 'ipv4-unicast', ROUTE) !== undefined, 'the route at the peer');

    const importPolicy = { statements: [{ actions: { communities: { add: ['65001:1'] } }, decision: 'accept' as const }] };
    one.updatePeer({ address: HUB, importPolicy });
    assert.equal(entryOf(one, 'ipv4-unicast', ROUTE)!.paths[0].attributes.some(({ type }) => type === 'communities'), false);
    one.routeRefresh(HUB, 'ipv4-unicast');
    await until(
      () => entryOf(one, 'ipv4-unicast', ROUTE)!.paths[0].attributes.some(({ type }) => type === 'communities'),
      'the route sent again, through the new import policy',
    );
    assert.ok(logs.some(({ event, enhanced }) => event === 'route-refresh' && enhanced === true), 'enhanced route refresh (RFC 7313)');
    assert.throws(() => one.routeRefresh(HUB, 'ipv6-unicast'), /not negotiated/);
  } finally {
    await speakers.cleanup();
  }
});

test('disabling a peer shuts its session down with a message; enabling brings it back; removing forgets it', async () => {
  const speakers = new Speakers();
  try {
    const { hub, one, two } = await star(speakers);
    await hub.disablePeer(ONE, 'maintenance');
    await until(() => one.neighbor(HUB).lastError !== null, 'the peer told');
    assert.match(one.neighbor(HUB).lastError!, /6\/2 "maintenance"/, 'RFC 9003 shutdown communication');
    assert.equal(entryOf(hub, 'ipv4-unicast', '203.0.113.1/32'), undefined);
    assert.equal(hub.neighbor(ONE).enabled, false);
    hub.enablePeer(ONE);
    await until(() => hub.neighbor(ONE).state === 'Established', 'back', 15_000);

    await hub.removePeer(TWO);
    assert.equal(entryOf(hub, 'ipv4-unicast', '203.0.113.2/32'), undefined);
    assert.deepEqual(hub.neighbors().map(({ address }) => address), [ONE]);
    await until(() => two.neighbor(HUB).lastError !== null, 'the removed peer told');
    assert.match(two.neighbor(HUB).lastError!, /6\/3/, 'Cease/3 Peer De-configured');
    assert.equal(hub.neighbor(ONE).state, 'Established');
  } finally {
    await speakers.cleanup();
  }
});
