import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeSet, PathAttribute } from '../wire/types.ts';
import { exportedSet, exportRefusal, type ExportProfile, type ExportRefusal } from './export-rules.ts';
import { makePath, type Path, type PeerKind } from './path.ts';
import type { PolicyActions } from './policy.ts';

const LOCAL_AS = 65000;

interface Spec {
  kind?: PeerKind;
  rrClient?: boolean;
  attributes?: PathAttribute[];
  nextHops?: string[];
  localPref?: number;
  stale?: 'gr' | 'llgr';
}

const origin: PathAttribute = { type: 'origin', value: 'igp' };
const fromPeer: PathAttribute = { type: 'as-path', segments: [{ type: 'sequence', asns: [65001] }] };

function path(spec: Spec = {}): Path {
  const kind = spec.kind ?? 'ebgp';
  return makePath({
    source: {
      peerAddress: '10.0.0.1',
      peerBgpId: '10.0.0.1',
      peerAs: kind === 'ebgp' ? 65001 : LOCAL_AS,
      localAs: LOCAL_AS,
      kind,
      rrClient: spec.rrClient ?? false,
    },
    nextHops: spec.nextHops ?? ['10.0.0.1'],
    attributes: spec.attributes ?? [origin, kind === 'ebgp' ? fromPeer : { type: 'as-path', segments: [] }],
    ...(spec.localPref !== undefined && { localPref: spec.localPref }),
    ...(spec.stale !== undefined && { stale: spec.stale }),
  });
}

const ebgp: ExportProfile = {
  localAs: LOCAL_AS,
  routerId: '192.0.2.254',
  clusterId: '192.0.2.254',
  kind: 'ebgp',
  rrClient: false,
  fourOctetAs: true,
  llgrFamilies: [],
  ipv4OverIpv6: false,
  nextHopSelf: { ipv4: '192.0.2.254' },
};
const ibgp: ExportProfile = { ...ebgp, kind: 'ibgp' };
const client: ExportProfile = { ...ibgp, rrClient: true };

const prepended = (...asns: number[]): PathAttribute => ({ type: 'as-path', segments: [{ type: 'sequence', asns }] });

test('export rules: what each kind of peer is sent', () => {
  const cases: { name: string; path: Path; profile: ExportProfile; family?: string; actions?: PolicyActions; sent: AttributeSet | undefined }[] = [
    {
      name: 'eBGP-learned to eBGP: our AS prepended, next hop self, no LOCAL_PREF, MED, reflection attributes',
      path: path({
        attributes: [
          origin,
          fromPeer,
          { type: 'med', value: 5 },
          { type: 'local-pref', value: 300 },
          { type: 'originator-id', value: '10.9.9.9' },
          { type: 'cluster-list', values: ['10.8.8.8'] },
        ],
      }),
      profile: ebgp,
      sent: { nextHops: ['192.0.2.254'], attributes: [origin, prepended(65000, 65001)] },
    },
    {
      name: 'unrecognized attributes: optional transitive passed on as partial, non-transitive dropped',
      path: path({
        attributes: [
          origin,
          fromPeer,
          { type: 'unknown', code: 99, flags: 0xc0, data: '01' },
          { type: 'unknown', code: 98, flags: 0x80, data: '02' },
        ],
      }),
      profile: ibgp,
      sent: {
        nextHops: ['10.0.0.1'],
        attributes: [origin, fromPeer, { type: 'unknown', code: 99, flags: 0xe0, data: '01' }, { type: 'local-pref', value: 100 }],
      },
    },
    {
      name: 'non-transitive extended communities stay in the AS',
      path: path({
        attributes: [
          origin,
          fromPeer,
          {
            type: 'extended-communities',
            values: [
              { type: 'link-bandwidth', transitive: false, asn: 65001, bandwidth: 1000 },
              { type: 'raw', value: '4300000000000001' },
              { type: 'route-target', form: 'as2', value: '65000:1' },
            ],
          },
        ],
      }),
      profile: ebgp,
      sent: {
        nextHops: ['192.0.2.254'],
        attributes: [origin, prepended(65000, 65001), { type: 'extended-communities', values: [{ type: 'route-target', form: 'as2', value: '65000:1' }] }],
      },
    },
    {
      name: 'local route to eBGP: its own next hop and MED kept',
      path: path({ kind: 'local', nextHops: ['192.0.2.10'], attributes: [origin, { type: 'as-path', segments: [] }, { type: 'med', value: 7 }] }),
      profile: ebgp,
      sent: { nextHops: ['192.0.2.10'], attributes: [origin, prepended(65000), { type: 'med', value: 7 }] },
    },
    {
      name: 'local route without a next hop: ours',
      path: path({ kind: 'local', nextHops: [] }),
      profile: ibgp,
      sent: { nextHops: ['192.0.2.254'], attributes: [origin, { type: 'as-path', segments: [] }, { type: 'local-pref', value: 100 }] },
    },
    {
      name: 'eBGP with next hop unchanged by policy',
      path: path(),
      profile: ebgp,
      actions: { nextHop: 'unchanged' },
      sent: { nextHops: ['10.0.0.1'], attributes: [origin, prepended(65000, 65001)] },
    },
    {
      name: 'eBGP with policy: prepends before our AS, MED set',
      path: path(),
      profile: ebgp,
      actions: { asPathPrepend: { count: 2 }, med: 20, localPref: 500 },
      sent: { nextHops: ['192.0.2.254'], attributes: [origin, prepended(65000, 65000, 65000, 65001), { type: 'med', value: 20 }] },
    },
    {
      name: 'eBGP-learned to iBGP: next hop and path unchanged, LOCAL_PREF from import',
      path: path({ localPref: 250, attributes: [origin, fromPeer, { type: 'med', value: 5 }] }),
      profile: ibgp,
      sent: { nextHops: ['10.0.0.1'], attributes: [origin, fromPeer, { type: 'med', value: 5 }, { type: 'local-pref', value: 250 }] },
    },
    {
      name: 'iBGP with policy LOCAL_PREF and next hop self',
      path: path(),
      profile: ibgp,
      actions: { localPref: 300, nextHop: 'self' },
      sent: { nextHops: ['192.0.2.254'], attributes: [origin, fromPeer, { type: 'local-pref', value: 300 }] },
    },
    {
      name: 'client route reflected to a client: ORIGINATOR_ID and CLUSTER_LIST, LOCAL_PREF kept',
      path: path({ kind: 'ibgp', rrClient: true, attributes: [origin, { type: 'as-path', segments: [] }, { type: 'local-pref', value: 120 }] }),
      profile: client,
      sent: {
        nextHops: ['10.0.0.1'],
        attributes: [
          origin,
          { type: 'as-path', segments: [] },
          { type: 'local-pref', value: 120 },
          { type: 'originator-id', value: '10.0.0.1' },
          { type: 'cluster-list', values: ['192.0.2.254'] },
        ],
      },
    },
    {
      name: '2-octet peer, 4-octet local AS: AS_TRANS and AS4_PATH',
      path: path(),
      profile: { ...ebgp, localAs: 200000, fourOctetAs: false },
      sent: {
        nextHops: ['192.0.2.254'],
        attributes: [origin, prepended(23456, 65001), { type: 'as4-path', segments: [{ type: 'sequence', asns: [200000, 65001] }] }],
      },
    },
    {
      name: 'IPv6 route, next hop self with only an IPv4 address: IPv4-mapped',
      path: path({ nextHops: ['2001:db8::1'] }),
      profile: ebgp,
      family: 'ipv6-unicast',
      sent: { nextHops: ['::ffff:192.0.2.254'], attributes: [origin, prepended(65000, 65001)] },
    },
    {
      name: 'IPv6 route with a link-local next hop: the global one only',
      path: path({ kind: 'ibgp', nextHops: ['2001:db8::1', 'fe80::1'] }),
      profile: { ...ebgp, nextHopSelf: { ipv6: '2001:db8::254' } },
      family: 'ipv6-unicast',
      sent: { nextHops: ['2001:db8::254'], attributes: [origin, prepended(65000)] },
    },
    {
      name: 'IPv4 route over an IPv6 next hop without RFC 8950: not sent',
      path: path({ kind: 'ibgp', nextHops: ['2001:db8::1'] }),
      profile: ibgp,
      sent: undefined,
    },
    {
      name: 'IPv4 route over an IPv6 next hop with RFC 8950',
      path: path({ kind: 'ibgp', nextHops: ['2001:db8::1'], attributes: [origin, { type: 'as-path', segments: [] }] }),
      profile: { ...ibgp, rrClient: true, ipv4OverIpv6: true },
      sent: {
        nextHops: ['2001:db8::1'],
        attributes: [
          origin,
          { type: 'as-path', segments: [] },
          { type: 'local-pref', value: 100 },
          { type: 'originator-id', value: '10.0.0.1' },
          { type: 'cluster-list', values: ['192.0.2.254'] },
        ],
      },
    },
    {
      name: 'no address for next hop self in the family: not sent',
      path: path(),
      profile: { ...ebgp, nextHopSelf: { ipv6: '2001:db8::254' } },
      sent: undefined,
    },
  ];
  for (const { name, path, profile, family = 'ipv4-unicast', actions, sent } of cases) {
    const result = exportedSet(path, family, profile, actions);
    assert.deepEqual(
      result && { nextHops: result.nextHops, attributes: [...result.attributes].sort((a, b) => order(a) - order(b)) },
      sent && { nextHops: sent.nextHops, attributes: [...sent.attributes].sort((a, b) => order(a) - order(b)) },
      name,
    );
  }
});

const TYPE_ORDER = ['origin', 'as-path', 'med', 'local-pref', 'communities', 'originator-id', 'cluster-list', 'extended-communities', 'as4-path', 'unknown'];
const order = (attribute: PathAttribute): number => TYPE_ORDER.indexOf(attribute.type);

test('export rules: who is not sent a path', () => {
  const communities = (...values: string[]): PathAttribute[] => [origin, fromPeer, { type: 'communities', values }];
  const cases: { name: string; path: Path; profile: ExportProfile; refusal: ExportRefusal | undefined }[] = [
    { name: 'NO_ADVERTISE to iBGP', path: path({ attributes: communities('65535:65282') }), profile: ibgp, refusal: 'no-advertise' },
    { name: 'NO_EXPORT to eBGP', path: path({ attributes: communities('65535:65281') }), profile: ebgp, refusal: 'no-export' },
    { name: 'NO_EXPORT to iBGP', path: path({ attributes: communities('65535:65281') }), profile: ibgp, refusal: undefined },
    { name: 'NO_EXPORT_SUBCONFED to eBGP', path: path({ attributes: communities('65535:65283') }), profile: ebgp, refusal: 'no-export-subconfed' },
    { name: 'NO_EXPORT_SUBCONFED to iBGP', path: path({ attributes: communities('65535:65283') }), profile: ibgp, refusal: undefined },
    { name: 'iBGP non-client to non-client', path: path({ kind: 'ibgp' }), profile: ibgp, refusal: 'not-reflected' },
    { name: 'iBGP non-client to client', path: path({ kind: 'ibgp' }), profile: client, refusal: undefined },
    { name: 'LLGR-stale to a peer without LLGR', path: path({ stale: 'llgr' }), profile: ebgp, refusal: 'llgr-stale' },
    { name: 'LLGR-stale to a peer with LLGR', path: path({ stale: 'llgr' }), profile: { ...ebgp, llgrFamilies: ['ipv4-unicast'] }, refusal: undefined },
    { name: 'GR-stale is sent', path: path({ stale: 'gr' }), profile: ebgp, refusal: undefined },
  ];
  for (const { name, path, profile, refusal } of cases) assert.equal(exportRefusal(path, 'ipv4-unicast', profile), refusal, name);
});
