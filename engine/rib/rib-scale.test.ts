/**
 * Scale smoke test: a thousand peers in one update group and ten thousand prefixes cost one
 * encoding, whatever the number of members. Counted, not timed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/index.ts';
import { Rib } from './rib.ts';
import { countingCodec, testSession } from './test-rib.ts';

const PEERS = 1000;
const PREFIXES = 10_000;

test('1,000 peers in one group, 10,000 prefixes: encoded once, the same bytes to every member', () => {
  const codec = countingCodec();
  const rib = new Rib({ localAs: 65000, routerId: '192.0.2.254', codec, now: () => 0 });
  const received: Uint8Array[][] = [];
  const join = (index: number) => {
    const writes: Uint8Array[] = [];
    received.push(writes);
    const address = `10.${(index >> 8) & 255}.${index & 255}.1`;
    rib.addPeer({
      address,
      session: testSession({ peerAs: 65001 + index, peerId: address, extendedMessage: true }),
      member: {
        send: (bytes) => {
          assert.ok(bytes instanceof Uint8Array, 'without a pool, every encoding is done at once');
          writes.push(bytes);
        },
      },
      nextHopSelf: { ipv4: '192.0.2.254' },
    });
  };
  for (let index = 0; index < PEERS; index++) join(index);
  assert.equal(rib.updateGroups().length, 1);
  assert.equal(codec.encodeCalls, 0);

  const routes = Array.from({ length: PREFIXES }, (_, index) => ({
    prefix: `10.${100 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}/32`,
    nextHop: '192.0.2.10',
  }));
  rib.originate(routes);
  assert.equal(codec.encodeCalls, 1);
  const table = received[0][1];
  assert.ok(received.every((writes) => writes.length === 2 && writes[1] === table));
  const decoded = tsCodec.decodeRoutes(table, { extendedMessage: true });
  assert.equal(decoded.routes.count, PREFIXES);
  assert.equal(decoded.attributeSets.length, 1);
  assert.equal(rib.internedSets(), 1);

  // Late joiners share one encoding of the whole table too.
  for (let index = PEERS; index < PEERS + 100; index++) join(index);
  assert.equal(codec.encodeCalls, 2);
  assert.ok(received.slice(PEERS).every((writes) => writes.length === 1 && writes[0] === received[PEERS][0]));

  // One prefix changes: one more encoding, one small UPDATE for all.
  rib.withdraw([{ prefix: routes[0].prefix }]);
  assert.equal(codec.encodeCalls, 3);
  assert.ok(received.every((writes) => writes.at(-1)!.length < 40));
});
