import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocRibEntry } from '../speaker/views.ts';
import { explainFlow } from './explain-flow.ts';
import { forwardingView } from './forwarding-view.ts';
import { prefixContains, addressBytes } from './prefix-match.ts';

const path = (peer: string, nextHop: string, bandwidth?: number, best = false) => ({
  peer,
  pathId: 0,
  nextHops: [nextHop],
  attributes: bandwidth === undefined ? [] : [{ type: 'extended-communities' as const, values: [{ type: 'link-bandwidth' as const, transitive: true, asn: 65001, bandwidth }] }],
  best,
  multipath: !best,
  reason: null,
  stale: null,
});

const rib: LocRibEntry[] = [
  { prefix: '203.0.113.10/32', paths: [path('a', '192.0.2.11', undefined, true), path('b', '192.0.2.12'), path('c', '192.0.2.13')] },
  { prefix: '203.0.113.11/32', paths: [path('a', '192.0.2.11', 250, true), path('b', '192.0.2.12', 125)] },
  { prefix: '203.0.113.0/24', paths: [path('a', '192.0.2.11', undefined, true), { ...path('b', '192.0.2.12'), multipath: false, reason: 'router-id' }] },
];

test('the forwarding view holds the multipath set, weighted by link bandwidth when every path has one', () => {
  const view = forwardingView(rib);
  assert.deepEqual(view[0].nextHops.map((hop) => [hop.address, hop.weight]), [['192.0.2.11', 1], ['192.0.2.12', 1], ['192.0.2.13', 1]]);
  assert.equal(view[1].weighted, true);
  assert.deepEqual(view[1].nextHops.map((hop) => [hop.address, hop.weight]), [['192.0.2.11', 250], ['192.0.2.12', 125]]);
  assert.deepEqual(view[2].nextHops.map((hop) => hop.address), ['192.0.2.11']);
});

test('a flow reaches one next hop of its longest matching prefix, the same one every time', () => {
  const view = forwardingView(rib);
  const flow = { src: '198.51.100.7', dst: '203.0.113.10', proto: 6, sport: 40000, dport: 443 };
  const first = explainFlow(view, flow, { policy: 'maglev', fields: 'five-tuple', seed: 0 });
  assert.ok(first.ok);
  assert.equal(first.value.prefix, '203.0.113.10/32');
  assert.ok(['192.0.2.11', '192.0.2.12', '192.0.2.13'].includes(first.value.chosen.address));
  assert.deepEqual(explainFlow(view, flow, { policy: 'maglev', fields: 'five-tuple', seed: 0 }), first);
  const covered = explainFlow(view, { ...flow, dst: '203.0.113.99' }, { policy: 'resilient', fields: 'l3', seed: 0 });
  assert.ok(covered.ok);
  assert.equal(covered.value.prefix, '203.0.113.0/24');
  assert.equal(covered.value.chosen.address, '192.0.2.11');
});

test('spreads flows over the group in proportion to the weights', () => {
  const view = forwardingView(rib);
  const counts = new Map<string, number>();
  for (let port = 0; port < 3000; port += 1) {
    const result = explainFlow(view, { src: '198.51.100.7', dst: '203.0.113.11', proto: 17, sport: 1024 + port, dport: 53 }, { policy: 'maglev', fields: 'five-tuple', seed: 1 });
    assert.ok(result.ok);
    counts.set(result.value.chosen.address, (counts.get(result.value.chosen.address) ?? 0) + 1);
  }
  const share = (counts.get('192.0.2.11') ?? 0) / 3000;
  assert.ok(share > 0.6 && share < 0.73, `share ${share}`);
});

test('says why it cannot explain a flow', () => {
  const view = forwardingView(rib);
  const none = explainFlow(view, { src: '198.51.100.7', dst: '192.0.2.1', proto: 6, sport: 1, dport: 2 }, { policy: 'modulo', fields: 'l3', seed: 0 });
  assert.deepEqual(none, { ok: false, error: 'no route to 192.0.2.1' });
  const bad = explainFlow(view, { src: 'x', dst: '203.0.113.10', proto: 6, sport: 1, dport: 2 }, { policy: 'modulo', fields: 'l3', seed: 0 });
  assert.ok(!bad.ok);
});

test('matches prefixes bit by bit, in one family only', () => {
  const address = addressBytes('2001:db8::1') as Uint8Array;
  assert.equal(prefixContains('2001:db8::/32', address), 32);
  assert.equal(prefixContains('2001:db9::/32', address), -1);
  assert.equal(prefixContains('0.0.0.0/0', address), -1);
  assert.equal(prefixContains('192.0.2.128/25', addressBytes('192.0.2.200') as Uint8Array), 25);
});
