import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/index.ts';
import { COLUMN_FAMILY, WITHDRAW, type PathAttribute, type UpdateMessage, type WireError } from '../wire/types.ts';
import {
  createAdjRibIn,
  markStale,
  receiveRoutes,
  receiveUpdate,
  sweepStale,
  type AdjRibIn,
  type AdjRibInConfig,
} from './adj-rib-in.ts';
import { createInterner, internedCount } from './attribute-interning.ts';
import type { PathChange } from './loc-rib.ts';

const PEER = '10.0.0.1';

function adjRibIn(config: Partial<AdjRibInConfig> = {}, kind: 'ebgp' | 'ibgp' = 'ebgp'): AdjRibIn {
  let clock = 1000;
  return createAdjRibIn(
    {
      source: { peerAddress: PEER, peerBgpId: PEER, peerAs: kind === 'ebgp' ? 65001 : 65000, localAs: 65000, kind, rrClient: false },
      families: ['ipv4-unicast', 'ipv6-unicast'],
      fourOctetAs: true,
      ...config,
    },
    {
      interner: createInterner(),
      identity: { localAs: 65000, routerId: '192.0.2.254', clusterId: '192.0.2.250' },
      hooks: {},
      now: () => clock++,
    },
  );
}

const origin: PathAttribute = { type: 'origin', value: 'igp' };
const asPath = (...asns: number[]): PathAttribute => ({ type: 'as-path', segments: [{ type: 'sequence', asns }] });

function announce(prefixes: string[], extra: PathAttribute[] = [], path: PathAttribute = asPath(65001)): UpdateMessage {
  return {
    type: 'update',
    withdrawn: [],
    attributes: [origin, path, { type: 'next-hop', value: PEER }, ...extra],
    nlri: prefixes.map((prefix) => ({ prefix })),
  };
}

function withdraw(prefixes: string[]): UpdateMessage {
  return { type: 'update', withdrawn: prefixes.map((prefix) => ({ prefix })), attributes: [], nlri: [] };
}

/** A change as `type family prefix`, for compact expectations. */
const summary = (changes: PathChange[]): string[] => changes.map((change) => `${change.type} ${change.family} ${change.prefix}`);

const error = (action: WireError['action'], family?: string): WireError => ({
  action,
  code: 3,
  subcode: 1,
  reason: 'test',
  data: '',
  ...(family !== undefined && { family }),
});

test('announcements become paths sharing one interned set, without NEXT_HOP in their attributes', () => {
  const adj = adjRibIn();
  const outcome = receiveUpdate(adj, announce(['198.51.100.0/24', '198.51.101.1/24'], [{ type: 'med', value: 5 }]));
  assert.deepEqual(summary(outcome.changes), ['set ipv4-unicast 198.51.100.0/24', 'set ipv4-unicast 198.51.101.0/24']);
  const [first, second] = [...adj.routes.values()];
  assert.deepEqual(first.path.nextHops, [PEER]);
  assert.deepEqual(first.path.attributes, [origin, asPath(65001), { type: 'med', value: 5 }]);
  assert.equal(first.entry, second.entry);
  assert.equal(first.entry.refs, 2);
  assert.equal(internedCount(adj.context.interner), 1);
});

test('the same announcement again changes nothing; a withdrawal removes the path and frees its set', () => {
  const adj = adjRibIn();
  receiveUpdate(adj, announce(['198.51.100.0/24']));
  const receivedAt = adj.routes.values().next().value?.path.ranking.receivedAt;
  assert.deepEqual(receiveUpdate(adj, announce(['198.51.100.0/24'])).changes, []);
  assert.equal(adj.routes.values().next().value?.path.ranking.receivedAt, receivedAt);
  assert.deepEqual(summary(receiveUpdate(adj, withdraw(['198.51.100.0/24'])).changes), ['remove ipv4-unicast 198.51.100.0/24']);
  assert.deepEqual(receiveUpdate(adj, withdraw(['198.51.100.0/24'])).changes, []);
  assert.equal(internedCount(adj.context.interner), 0);
});

test('MP_REACH_NLRI and MP_UNREACH_NLRI carry IPv6 paths, with ADD-PATH identifiers', () => {
  const adj = adjRibIn();
  const update: UpdateMessage = {
    type: 'update',
    withdrawn: [],
    attributes: [
      { type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['2001:db8::1', 'fe80::1'], nlri: [{ prefix: '2001:db8:100::/48', pathId: 7 }] },
      origin,
      asPath(65001),
    ],
    nlri: [],
  };
  assert.deepEqual(summary(receiveUpdate(adj, update).changes), ['set ipv6-unicast 2001:db8:100::/48']);
  const route = [...adj.routes.values()][0];
  assert.equal(route.pathId, 7);
  assert.deepEqual(route.path.nextHops, ['2001:db8::1', 'fe80::1']);
  const gone: UpdateMessage = {
    type: 'update',
    withdrawn: [],
    attributes: [{ type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [{ prefix: '2001:db8:100::/48', pathId: 7 }] }],
    nlri: [],
  };
  assert.deepEqual(summary(receiveUpdate(adj, gone).changes), ['remove ipv6-unicast 2001:db8:100::/48']);
});

test('routes of a family the session did not negotiate are ignored', () => {
  const adj = adjRibIn({ families: ['ipv6-unicast'] });
  assert.deepEqual(receiveUpdate(adj, announce(['198.51.100.0/24'])).changes, []);
});

test('RFC 7606 actions: treat-as-withdraw, attribute-discard, AFI/SAFI disable', () => {
  const adj = adjRibIn();
  receiveUpdate(adj, announce(['198.51.100.0/24', '198.51.101.0/24']));
  const withdrawn = receiveUpdate(adj, announce(['198.51.100.0/24']), error('treat-as-withdraw'));
  assert.deepEqual(summary(withdrawn.changes), ['remove ipv4-unicast 198.51.100.0/24']);
  const discarded = receiveUpdate(adj, announce(['198.51.102.0/24']), error('attribute-discard'));
  assert.deepEqual(summary(discarded.changes), ['set ipv4-unicast 198.51.102.0/24']);
  const disabled = receiveUpdate(adj, announce(['198.51.103.0/24']), error('afi-safi-disable', 'ipv4-unicast'));
  assert.deepEqual(summary(disabled.changes), ['remove ipv4-unicast 198.51.101.0/24', 'remove ipv4-unicast 198.51.102.0/24']);
  assert.deepEqual(disabled.disabledFamilies, ['ipv4-unicast']);
  assert.deepEqual(receiveUpdate(adj, announce(['198.51.104.0/24'])).changes, []);
  assert.equal(adj.routes.size, 0);
});

test('End-of-RIB markers of both unicast families', () => {
  const adj = adjRibIn();
  assert.deepEqual(receiveUpdate(adj, { type: 'update', withdrawn: [], attributes: [], nlri: [] }).endOfRib, ['ipv4-unicast']);
  const ipv6: UpdateMessage = {
    type: 'update',
    withdrawn: [],
    attributes: [{ type: 'mp-unreach', family: 'ipv6-unicast', withdrawn: [] }],
    nlri: [],
  };
  assert.deepEqual(receiveUpdate(adj, ipv6).endOfRib, ['ipv6-unicast']);
});

test('bulk-decoded columns give the same paths as the messages', () => {
  const update = announce(['198.51.100.0/24', '203.0.113.0/24'], [{ type: 'communities', values: ['65001:1'] }]);
  const viaMessage = adjRibIn();
  receiveUpdate(viaMessage, update);
  const viaColumns = adjRibIn();
  const bytes = tsCodec.encodeMessage(update);
  const outcome = receiveRoutes(viaColumns, tsCodec.decodeRoutes(bytes));
  assert.deepEqual(summary(outcome.changes), ['set ipv4-unicast 198.51.100.0/24', 'set ipv4-unicast 203.0.113.0/24']);
  const paths = (adj: AdjRibIn) => [...adj.routes.values()].map(({ prefix, path }) => [prefix, path.nextHops, path.attributes]);
  assert.deepEqual(paths(viaColumns), paths(viaMessage));
  const end = tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
  assert.deepEqual(receiveRoutes(viaColumns, tsCodec.decodeRoutes(end)).endOfRib, ['ipv4-unicast']);
});

test('columns: withdrawals, and a disabled family dropped from the whole burst', () => {
  const adj = adjRibIn();
  receiveUpdate(adj, announce(['198.51.100.0/24', '198.51.101.0/24']));
  const routes = {
    count: 2,
    family: Uint8Array.of(COLUMN_FAMILY['ipv4-unicast'], COLUMN_FAMILY['ipv6-unicast']),
    prefixLength: Uint8Array.of(24, 32),
    address: new Uint8Array(32),
    pathId: new Uint32Array(2),
    attributeSet: Uint32Array.of(WITHDRAW, 0),
  };
  routes.address.set([198, 51, 100, 0], 0);
  routes.address.set([0x20, 0x01, 0x0d, 0xb8], 16);
  const outcome = receiveRoutes(adj, {
    routes,
    attributeSets: [{ nextHops: ['2001:db8::1'], attributes: [origin, asPath(65001)] }],
    endOfRib: [],
    errors: [{ message: 1, offset: 0, error: error('afi-safi-disable', 'ipv6-unicast') }],
    consumed: 0,
  });
  assert.deepEqual(summary(outcome.changes), ['remove ipv4-unicast 198.51.100.0/24']);
  assert.deepEqual(outcome.disabledFamilies, ['ipv6-unicast']);
});

test('routes that loop or do not start with the peer\'s AS are discarded, withdrawing what came before', () => {
  const cases: { name: string; kind: 'ebgp' | 'ibgp'; attributes: PathAttribute[]; path?: PathAttribute; reason: string }[] = [
    { name: 'our AS in the path', kind: 'ebgp', attributes: [], path: asPath(65001, 65000, 65002), reason: 'as-loop' },
    { name: 'another AS first', kind: 'ebgp', attributes: [], path: asPath(65002), reason: 'first-as' },
    { name: 'our router id as ORIGINATOR_ID', kind: 'ibgp', attributes: [{ type: 'originator-id', value: '192.0.2.254' }], path: asPath(), reason: 'originator-id' },
    { name: 'our cluster in CLUSTER_LIST', kind: 'ibgp', attributes: [{ type: 'cluster-list', values: ['192.0.2.250'] }], path: asPath(), reason: 'cluster-list' },
  ];
  for (const { name, kind, attributes, path, reason } of cases) {
    const adj = adjRibIn({}, kind);
    receiveUpdate(adj, announce(['198.51.100.0/24'], [], kind === 'ebgp' ? asPath(65001) : asPath()));
    const outcome = receiveUpdate(adj, announce(['198.51.100.0/24'], attributes, path));
    assert.deepEqual(summary(outcome.changes), ['remove ipv4-unicast 198.51.100.0/24'], name);
    assert.deepEqual(outcome.discarded, { [reason]: 1 }, name);
  }
  const routeServer = adjRibIn({ enforceFirstAs: false });
  assert.equal(receiveUpdate(routeServer, announce(['198.51.100.0/24'], [], asPath(65002))).changes.length, 1);
});

test('an external peer\'s LOCAL_PREF is ignored; import policy sets one, adds communities, rejects', () => {
  const adj = adjRibIn({
    importPolicy: {
      statements: [
        { match: { prefixList: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] }, decision: 'reject' },
        { actions: { localPref: 200, communities: { add: ['65000:7'] } }, decision: 'accept' },
      ],
    },
  });
  const outcome = receiveUpdate(adj, announce(['198.51.100.0/24', '10.1.0.0/16'], [{ type: 'local-pref', value: 900 }]));
  assert.deepEqual(summary(outcome.changes), ['set ipv4-unicast 198.51.100.0/24']);
  assert.deepEqual(outcome.discarded, { policy: 1 });
  const route = [...adj.routes.values()][0];
  assert.equal(route.path.ranking.localPref, 200);
  assert.deepEqual(route.path.attributes, [origin, asPath(65001), { type: 'communities', values: ['65000:7'] }]);
});

test('a 2-octet session\'s AS4_PATH is merged', () => {
  const adj = adjRibIn({ fourOctetAs: false });
  receiveUpdate(adj, announce(['198.51.100.0/24'], [{ type: 'as4-path', segments: [{ type: 'sequence', asns: [200000] }] }], asPath(65001, 23456)));
  assert.deepEqual([...adj.routes.values()][0].path.attributes, [origin, asPath(65001, 200000)]);
});

test('max-prefix: paths past the limit are refused and counted', () => {
  const adj = adjRibIn({ maxPrefixes: 2 });
  const outcome = receiveUpdate(adj, announce(['198.51.100.0/24', '198.51.101.0/24', '198.51.102.0/24', '198.51.103.0/24']));
  assert.equal(outcome.changes.length, 2);
  assert.deepEqual(outcome.maxPrefixExceeded, { count: 4, limit: 2 });
  assert.equal(adj.routes.size, 2);
  assert.equal(receiveUpdate(adj, announce(['198.51.100.0/24'], [{ type: 'med', value: 1 }])).maxPrefixExceeded, undefined);
});

test('graceful restart: stale paths stay until sent again or swept', () => {
  const adj = adjRibIn();
  receiveUpdate(adj, announce(['198.51.100.0/24', '198.51.101.0/24']));
  receiveUpdate(adj, { type: 'update', withdrawn: [], attributes: [{ type: 'mp-reach', family: 'ipv6-unicast', nextHops: ['2001:db8::1'], nlri: [{ prefix: '2001:db8::/32' }] }, origin, asPath(65001)], nlri: [] });
  const marked = markStale(adj, 'gr', ['ipv4-unicast']);
  assert.deepEqual(summary(marked), ['set ipv4-unicast 198.51.100.0/24', 'set ipv4-unicast 198.51.101.0/24', 'remove ipv6-unicast 2001:db8::/32']);
  assert.ok([...adj.routes.values()].every((route) => route.stale === 'gr' && route.path.ranking.grStale && !route.path.ranking.llgrStale));
  assert.equal(summary(receiveUpdate(adj, announce(['198.51.100.0/24'])).changes).length, 1);
  assert.deepEqual(summary(sweepStale(adj, 'ipv4-unicast')), ['remove ipv4-unicast 198.51.101.0/24']);
  assert.equal([...adj.routes.values()][0].stale, undefined);
});

test('long-lived graceful restart: NO_LLGR paths go, the others carry LLGR_STALE and rank last', () => {
  const adj = adjRibIn();
  receiveUpdate(adj, announce(['198.51.100.0/24']));
  receiveUpdate(adj, announce(['198.51.101.0/24'], [{ type: 'communities', values: ['65535:7'] }]));
  const marked = markStale(adj, 'llgr', ['ipv4-unicast']);
  assert.deepEqual(summary(marked), ['set ipv4-unicast 198.51.100.0/24', 'remove ipv4-unicast 198.51.101.0/24']);
  const route = [...adj.routes.values()][0];
  assert.equal(route.stale, 'llgr');
  assert.ok(route.path.ranking.llgrStale);
  assert.deepEqual(route.path.attributes, [origin, asPath(65001), { type: 'communities', values: ['65535:6'] }]);
  assert.deepEqual(summary(sweepStale(adj)), ['remove ipv4-unicast 198.51.100.0/24']);
  assert.equal(internedCount(adj.context.interner), 0);
});
