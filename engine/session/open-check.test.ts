import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capability, OpenMessage } from '../wire/types.ts';
import { buildOpen } from './open.ts';
import { checkOpen } from './open-check.ts';
import { LOCAL_ID, peerOpen, testConfig } from './testing.ts';
import type { SessionConfig } from './types.ts';

const openError = (subcode: number, data = '') => ({ type: 'notification', code: 2, subcode, data });

function check(open: OpenMessage, config: SessionConfig = testConfig()) {
  return checkOpen(open, config, buildOpen(config));
}

function withCapabilities(capabilities: Capability[], overrides: Partial<OpenMessage> = {}): OpenMessage {
  return { ...peerOpen(overrides), capabilities };
}

test('the expected OPEN passes', () => {
  assert.equal(check(peerOpen()), undefined);
});

test('hold time 1 or 2 is unacceptable (RFC 4271 section 6.2); 0 and 3 are fine', () => {
  assert.deepEqual(check(peerOpen({ holdTime: 1 })), openError(6));
  assert.deepEqual(check(peerOpen({ holdTime: 2 })), openError(6));
  assert.equal(check(peerOpen({ holdTime: 0 })), undefined);
  assert.equal(check(peerOpen({ holdTime: 3 })), undefined);
});

test('peer AS checks, with AS_TRANS and the 4-octet AS capability (RFC 6793)', () => {
  const fourOctet = testConfig({ peerAs: 4200000001 });
  const cases: [string, OpenMessage, SessionConfig, ReturnType<typeof openError> | undefined][] = [
    ['another AS', peerOpen({ myAs: 65003 }), testConfig(), openError(2)],
    ['2-octet peer without the capability', withCapabilities([], { myAs: 65002 }), testConfig(), undefined],
    ['2-octet peer with another AS', withCapabilities([], { myAs: 65003 }), testConfig(), openError(2)],
    [
      '4-octet AS in the capability',
      withCapabilities([{ type: 'four-octet-as', asn: 4200000001 }], { myAs: 23456 }),
      fourOctet,
      undefined,
    ],
    [
      'capability differs from the configured AS',
      withCapabilities([{ type: 'four-octet-as', asn: 4200000002 }], { myAs: 23456 }),
      fourOctet,
      openError(2),
    ],
    [
      'AS_TRANS without the capability: an old speaker cannot have a 4-octet AS',
      withCapabilities([], { myAs: 23456 }),
      fourOctet,
      openError(2),
    ],
    [
      'AS_TRANS in the capability',
      withCapabilities([{ type: 'four-octet-as', asn: 23456 }], { myAs: 23456 }),
      testConfig({ peerAs: 23456 }),
      openError(2),
    ],
    [
      'My AS neither AS_TRANS nor the capability AS',
      withCapabilities([{ type: 'four-octet-as', asn: 65002 }], { myAs: 65009 }),
      testConfig(),
      openError(2),
    ],
    ['AS 0 (RFC 7607)', withCapabilities([{ type: 'four-octet-as', asn: 0 }], { myAs: 0 }), testConfig(), openError(2)],
  ];
  for (const [name, open, config, expected] of cases) assert.deepEqual(check(open, config), expected, name);
});

test('BGP identifier: ours from an internal peer, or zero, is bad (RFC 6286 section 2.2)', () => {
  const ibgp = testConfig({ peerAs: 65001 });
  assert.deepEqual(check(peerOpen({ myAs: 65001, bgpId: LOCAL_ID }), ibgp), openError(3));
  assert.equal(check(peerOpen({ myAs: 65001 }), ibgp), undefined);
  assert.equal(check(peerOpen({ bgpId: LOCAL_ID })), undefined, 'an external peer may share our identifier');
  assert.deepEqual(check(peerOpen({ bgpId: '0.0.0.0' })), openError(3));
});

test('required capabilities the peer lacks are listed as we announce them (RFC 5492 section 5)', () => {
  const config = testConfig({
    families: ['ipv4-unicast', 'ipv6-unicast'],
    addPath: [{ family: 'ipv4-unicast', mode: 'both' }],
    requiredCapabilities: ['route-refresh', 'add-path', { family: 'ipv6-unicast' }, 'four-octet-as'],
  });
  // The peer has route refresh and 4-octet AS but neither ADD-PATH nor IPv6 unicast.
  assert.deepEqual(check(peerOpen(), config), openError(7, '450400010103' + '010400020001'));
  const complete = withCapabilities([
    { type: 'multiprotocol', family: 'ipv4-unicast' },
    { type: 'multiprotocol', family: 'ipv6-unicast' },
    { type: 'route-refresh' },
    { type: 'four-octet-as', asn: 65002 },
    { type: 'add-path', families: [{ family: 'ipv4-unicast', mode: 'receive' }] },
  ]);
  assert.equal(check(complete, config), undefined);
});

test('a required IPv4 unicast is implied when the peer sends no multiprotocol capability', () => {
  const config = testConfig({ requiredCapabilities: [{ family: 'ipv4-unicast' }] });
  assert.equal(check(withCapabilities([{ type: 'four-octet-as', asn: 65002 }]), config), undefined);
  assert.deepEqual(
    check(withCapabilities([{ type: 'multiprotocol', family: 'ipv6-unicast' }]), config),
    openError(7, '010400010001'),
  );
});
