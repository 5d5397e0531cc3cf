import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capability } from '../wire/types.ts';
import { capabilityData } from './capability-data.ts';

/** (capability, octets as in an OPEN) vectors, RFC 5492 section 4. */
const VECTORS: [Capability, string][] = [
  [{ type: 'multiprotocol', family: 'ipv4-unicast' }, '010400010001'],
  [{ type: 'multiprotocol', family: 'ipv6-unicast' }, '010400020001'],
  [{ type: 'multiprotocol', family: '1/133' }, '010400010085'],
  [{ type: 'route-refresh' }, '0200'],
  [{ type: 'extended-next-hop', entries: [{ family: 'ipv4-unicast', nextHopAfi: 2 }] }, '0506000100010002'],
  [{ type: 'extended-message' }, '0600'],
  [
    {
      type: 'graceful-restart',
      restarting: true,
      notification: true,
      restartTime: 120,
      families: [{ family: 'ipv4-unicast', forwarding: true }],
    },
    '4006c07800010180',
  ],
  [{ type: 'graceful-restart', restarting: false, notification: false, restartTime: 4095, families: [] }, '40020fff'],
  [{ type: 'four-octet-as', asn: 4200000001 }, '4104fa56ea01'],
  [
    {
      type: 'add-path',
      families: [
        { family: 'ipv4-unicast', mode: 'receive' },
        { family: 'ipv6-unicast', mode: 'both' },
      ],
    },
    '45080001010100020103',
  ],
  [{ type: 'enhanced-route-refresh' }, '4600'],
  [
    { type: 'long-lived-graceful-restart', families: [{ family: 'ipv6-unicast', forwarding: true, staleTime: 3600 }] },
    '470700020180000e10',
  ],
  [{ type: 'unknown', code: 73, data: '0102' }, '49020102'],
];

test('capabilities encode as in the OPEN', () => {
  for (const [capability, octets] of VECTORS) assert.equal(capabilityData([capability]), octets, capability.type);
});

test('several capabilities are concatenated', () => {
  assert.equal(capabilityData([{ type: 'route-refresh' }, { type: 'extended-message' }]), '02000600');
  assert.equal(capabilityData([]), '');
});
