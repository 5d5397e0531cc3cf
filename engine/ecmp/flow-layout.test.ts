/** The flow record layout of docs/ecmp.md, field by field, and the flows packFlows refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { keyWords, packFlows, STRIDE, type Flow } from './flow-layout.ts';

const flow = (overrides: Partial<Flow>): Flow => ({ src: '192.0.2.1', dst: '198.51.100.2', proto: 6, sport: 49152, dport: 443, ...overrides });

test('an IPv4 record is src, dst, proto, sport << 16 | dport, addresses read big-endian', () => {
  const packed = packFlows('ipv4', [flow({})]);
  assert.ok(packed.ok);
  assert.deepEqual([...packed.value.words], [0xc0000201, 0xc6336402, 6, 0xc00001bb]);
});

test('an IPv6 record is src[4], dst[4], proto, ports', () => {
  const packed = packFlows('ipv6', [flow({ src: '2001:db8::1', dst: '2001:db8:1:2:3:4:5:6', proto: 17, sport: 53, dport: 1 })]);
  assert.ok(packed.ok);
  assert.deepEqual([...packed.value.words], [0x20010db8, 0, 0, 1, 0x20010db8, 0x00010002, 0x00030004, 0x00050006, 17, 0x00350001]);
});

test('keys are the whole record or its two addresses', () => {
  const table: [Parameters<typeof keyWords>, number][] = [
    [['ipv4', 'five-tuple'], STRIDE.ipv4],
    [['ipv4', 'l3'], 2],
    [['ipv6', 'five-tuple'], STRIDE.ipv6],
    [['ipv6', 'l3'], 8],
  ];
  for (const [[family, fields], words] of table) assert.equal(keyWords(family, fields), words, `${family} ${fields}`);
});

test('flows that do not fit are refused with their index', () => {
  const refused: [string, Flow][] = [
    ['IPv6 source in an IPv4 batch', flow({ src: '2001:db8::1' })],
    ['bad address', flow({ dst: '198.51.100.256' })],
    ['port above 65535', flow({ sport: 65536 })],
    ['negative port', flow({ dport: -1 })],
    ['protocol above 255', flow({ proto: 256 })],
    ['fractional port', flow({ sport: 1.5 })],
  ];
  for (const [label, bad] of refused) {
    const packed = packFlows('ipv4', [flow({}), bad]);
    assert.equal(packed.ok, false, label);
    assert.match(packed.ok ? '' : packed.error, /^flow 1:/, label);
  }
});
