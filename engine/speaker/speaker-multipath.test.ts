/** Several speakers announce one VIP: a multipath set of three next hops, and a reflector passing all three on with ADD-PATH. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryOf, peered, Speakers, until } from './testing.ts';

const VIP = '198.51.100.10/32';

test('three speakers announce one VIP to a fourth: three next hops in its multipath set', async () => {
  const speakers = new Speakers();
  try {
    const hub = await speakers.start('127.0.32.10', 65000, {
      multipath: { upTo: 'igp-cost', relaxAsPath: true, maximumPaths: 8 },
    });
    const nodes = ['127.0.32.1', '127.0.32.2', '127.0.32.3'];
    for (const [index, address] of nodes.entries()) {
      const node = await speakers.start(address, 65011 + index);
      await peered(node, address, hub, '127.0.32.10');
      node.announce([{ prefix: VIP }]);
    }
    await until(() => entryOf(hub, 'ipv4-unicast', VIP)?.paths.length === 3, 'three paths at the hub');
    const { paths } = entryOf(hub, 'ipv4-unicast', VIP)!;
    assert.deepEqual(paths.map(({ multipath }) => multipath), [true, true, true]);
    assert.deepEqual(paths.flatMap(({ nextHops }) => nextHops).sort(), nodes);
    assert.equal(paths.filter(({ best }) => best).length, 1);
    assert.ok(paths.filter(({ best }) => !best).every(({ reason }) => reason !== null), 'each other path says where it lost');
  } finally {
    await speakers.cleanup();
  }
});

test('a route reflector with ADD-PATH send reflects the three paths of one VIP to a client', async () => {
  const speakers = new Speakers();
  try {
    const reflector = await speakers.start('127.0.33.10', 65100, {
      clusterId: '192.0.2.100',
      multipath: { upTo: 'igp-cost', maximumPaths: 8 },
    });
    const sources = ['127.0.33.1', '127.0.33.2', '127.0.33.3'];
    for (const address of sources) {
      const source = await speakers.start(address, 65100);
      await peered(source, address, reflector, '127.0.33.10', { b: { rrClient: true } });
      source.announce([{ prefix: VIP, nextHop: address }]);
    }
    const client = await speakers.start('127.0.33.20', 65100, { multipath: { upTo: 'igp-cost', maximumPaths: 8 } });
    await peered(client, '127.0.33.20', reflector, '127.0.33.10', {
      a: { addPath: { 'ipv4-unicast': 'receive' } },
      b: { rrClient: true, addPath: { 'ipv4-unicast': 'send' } },
    });
    await until(() => entryOf(client, 'ipv4-unicast', VIP)?.paths.length === 3, 'three paths at the client');
    const { paths } = entryOf(client, 'ipv4-unicast', VIP)!;
    assert.deepEqual(paths.flatMap(({ nextHops }) => nextHops).sort(), sources, 'next hops unchanged through the reflector');
    assert.equal(new Set(paths.map(({ pathId }) => pathId)).size, 3, 'three path ids');
    assert.ok(paths.every(({ peer }) => peer === '127.0.33.10'));
    assert.deepEqual(paths.map(({ multipath }) => multipath), [true, true, true]);
    const reflected = paths[0].attributes;
    assert.ok(reflected.some(({ type }) => type === 'originator-id'), 'ORIGINATOR_ID set (RFC 4456)');
    assert.deepEqual(reflected.find(({ type }) => type === 'cluster-list'), { type: 'cluster-list', values: ['192.0.2.100'] });
    assert.deepEqual(client.neighbor('127.0.33.10').addPath, { 'ipv4-unicast': 'receive' });
  } finally {
    await speakers.cleanup();
  }
});
