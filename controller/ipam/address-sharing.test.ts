import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharingConflict, type SharingTerms } from './address-sharing.ts';

const terms = (key: string, fields: Partial<SharingTerms> = {}): SharingTerms => ({
  key,
  sharingKey: 'k',
  ports: [{ protocol: 'TCP', port: 80 }],
  externalTrafficPolicy: 'Cluster',
  ...fields,
});

test('MetalLB rule: same key, disjoint ports, same traffic policy', () => {
  const cases: [string, SharingTerms, SharingTerms, RegExp | undefined][] = [
    ['disjoint ports', terms('a/x'), terms('a/y', { ports: [{ protocol: 'TCP', port: 443 }] }), undefined],
    ['same number, other protocol', terms('a/x', { ports: [{ protocol: 'UDP', port: 80 }] }), terms('a/y'), undefined],
    ['no ports at all', terms('a/x', { ports: [] }), terms('a/y'), undefined],
    ['both Local', terms('a/x', { externalTrafficPolicy: 'Local' }), terms('a/y', { externalTrafficPolicy: 'Local', ports: [] }), undefined],
    ['same port', terms('a/x', { ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 80 }] }), terms('a/y'), /also uses TCP\/80/],
    ['no key on the newcomer', terms('a/x', { sharingKey: undefined, ports: [] }), terms('a/y'), /a\/x has no sharing key/],
    ['no key on the holder', terms('a/x', { ports: [] }), terms('a/y', { sharingKey: undefined }), /a\/y holds it and has no sharing key/],
    ['different keys', terms('a/x', { ports: [] }), terms('a/y', { sharingKey: 'other' }), /sharing key other, not k/],
    ['traffic policies differ', terms('a/x', { ports: [], externalTrafficPolicy: 'Local' }), terms('a/y'), /externalTrafficPolicy Cluster, not Local/],
  ];
  for (const [name, a, b, expected] of cases) {
    const reason = sharingConflict(a, b);
    if (expected === undefined) assert.equal(reason, undefined, name);
    else assert.match(reason ?? '', expected, name);
  }
});
