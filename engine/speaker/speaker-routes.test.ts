/** Speakers peering over loopback: routes of both families go across with their attributes, and are withdrawn. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryOf, peered, Speakers, until } from './testing.ts';

const A = '127.0.31.1';
const B = '127.0.31.2';

test('routes announced by one speaker reach the other with their attributes, in both families, and are withdrawn', async () => {
  const speakers = new Speakers();
  try {
    const a = await speakers.start(A, 65001);
    const b = await speakers.start(B, 65002);
    await peered(a, A, b, B, { a: { families: ['ipv4-unicast', 'ipv6-unicast'] }, b: { families: ['ipv4-unicast', 'ipv6-unicast'] } });
    await until(() => a.neighbor(B).state === 'Established' && b.neighbor(A).state === 'Established', 'Established');
    a.announce([
      { prefix: '198.51.100.7/32', nextHop: A, attributes: [{ type: 'communities', values: ['65001:7'] }] },
      { prefix: '2001:db8:7::/48', nextHop: '2001:db8::1', attributes: [{ type: 'med', value: 20 }] },
    ]);
    await until(() => entryOf(b, 'ipv4-unicast', '198.51.100.7/32') !== undefined, 'the IPv4 route at B');
    await until(() => entryOf(b, 'ipv6-unicast', '2001:db8:7::/48') !== undefined, 'the IPv6 route at B');

    const [v4] = entryOf(b, 'ipv4-unicast', '198.51.100.7/32')!.paths;
    assert.equal(v4.peer, A);
    assert.equal(v4.best, true);
    assert.equal(v4.reason, null);
    assert.deepEqual(v4.nextHops, [A]);
    assert.deepEqual(v4.attributes.find(({ type }) => type === 'as-path'), { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] });
    assert.deepEqual(v4.attributes.find(({ type }) => type === 'communities'), { type: 'communities', values: ['65001:7'] });
    const [v6] = entryOf(b, 'ipv6-unicast', '2001:db8:7::/48')!.paths;
    assert.deepEqual(v6.nextHops, ['2001:db8::1']);
    assert.deepEqual(v6.attributes.find(({ type }) => type === 'med'), { type: 'med', value: 20 });

    assert.equal(b.adjRibIn(A).length, 2);
    assert.deepEqual(a.adjRibOut(B, 'ipv6-unicast').map(({ prefix }) => prefix), ['2001:db8:7::/48']);
    const status = b.neighbor(A);
    assert.equal(status.received, 2);
    assert.equal(status.accepted, 2);
    assert.ok(status.uptime !== null && status.uptime >= 0);
    assert.equal(a.neighbor(B).advertised, 2);
    assert.deepEqual(a.neighbor(B).families, ['ipv4-unicast', 'ipv6-unicast']);

    a.withdraw([{ prefix: '198.51.100.7/32' }]);
    await until(() => entryOf(b, 'ipv4-unicast', '198.51.100.7/32') === undefined, 'the withdrawal at B');
    assert.ok(entryOf(b, 'ipv6-unicast', '2001:db8:7::/48') !== undefined, 'the other route stays');
    assert.equal(b.neighbor(A).received, 1);
  } finally {
    await speakers.cleanup();
  }
});

test('a session over IPv6 loopback carries routes', async () => {
  const speakers = new Speakers();
  try {
    const a = await speakers.start('::1', 65001, { routerId: '192.0.2.61', listen: [] }, { listen: false });
    const b = await speakers.start('::1', 65002, { routerId: '192.0.2.62', listen: [{ address: '::1', port: 0 }] });
    b.addPeer({ address: '::1', asn: 65001, passive: true, families: ['ipv6-unicast'] });
    a.addPeer({ address: '::1', asn: 65002, port: b.listening[0].port, families: ['ipv6-unicast'], connectRetry: 1 });
    a.announce([{ prefix: '2001:db8:61::/64' }]);
    await until(() => entryOf(b, 'ipv6-unicast', '2001:db8:61::/64') !== undefined, 'the route at B');
    assert.deepEqual(entryOf(b, 'ipv6-unicast', '2001:db8:61::/64')!.paths[0].nextHops, ['::1'], 'next hop self: the session address');
  } finally {
    await speakers.cleanup();
  }
});
