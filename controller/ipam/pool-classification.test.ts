import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Eip } from '../api/types.ts';
import { eip } from './ipam-fixtures.ts';
import { classifyEips } from './pool-classification.ts';
import type { PoolState } from './types.ts';

test('classifies each Eip: ready, disabled, invalid, unsupported, overlap', () => {
  const cases: [string, Eip[], Record<string, PoolState>][] = [
    ['a CIDR', [eip('a', '192.0.2.0/24')], { a: 'ready' }],
    ['a range and one address', [eip('a', '192.0.2.1-192.0.2.9'), eip('b', '192.0.2.10')], { a: 'ready', b: 'ready' }],
    ['disabled', [eip('a', '192.0.2.0/24', { disable: true })], { a: 'disabled' }],
    ['unparsable', [eip('a', '192.0.2.0/33'), eip('b', 'pool')], { a: 'invalid', b: 'invalid' }],
    ['reversed range', [eip('a', '192.0.2.9-192.0.2.1')], { a: 'invalid' }],
    ['layer2 and vip', [eip('a', '192.0.2.0/24', { protocol: 'layer2' }), eip('b', '198.51.100.0/24', { protocol: 'vip' })], { a: 'unsupported', b: 'unsupported' }],
    ['explicit bgp', [eip('a', '192.0.2.0/24', { protocol: 'bgp' })], { a: 'ready' }],
    [
      'the older keeps working, whatever the list order',
      [eip('new', '192.0.2.128/25', { created: '2024-02-01T00:00:00Z' }), eip('old', '192.0.2.0/24', { created: '2024-01-01T00:00:00Z' })],
      { new: 'overlap', old: 'ready' },
    ],
    ['same age: the first name keeps working', [eip('b', '192.0.2.0/24'), eip('a', '192.0.2.255')], { a: 'ready', b: 'overlap' }],
    ['no timestamp counts as newest', [eip('a', '192.0.2.0/24', { created: 'never' }), eip('b', '192.0.2.0/25')], { a: 'overlap', b: 'ready' }],
    ['families never overlap', [eip('a', '0.0.0.0/0'), eip('b', '::/0')], { a: 'ready', b: 'ready' }],
    ['adjacent ranges do not overlap', [eip('a', '192.0.2.0/25'), eip('b', '192.0.2.128/25')], { a: 'ready', b: 'ready' }],
    ['a disabled Eip still holds its range', [eip('a', '192.0.2.0/24', { disable: true }), eip('b', '192.0.2.7', { created: '2025-01-01T00:00:00Z' })], { a: 'disabled', b: 'overlap' }],
    ['unsupported and invalid Eips hold no range', [eip('a', '192.0.2.0/24', { protocol: 'layer2' }), eip('b', '192.0.2.0/24', { created: '2025-01-01T00:00:00Z' })], { a: 'unsupported', b: 'ready' }],
    ['a reported overlap blocks nothing', [eip('a', '192.0.2.0/25'), eip('b', '192.0.2.0/24', { created: '2025-01-01T00:00:00Z' }), eip('c', '192.0.2.200', { created: '2026-01-01T00:00:00Z' })], { a: 'ready', b: 'overlap', c: 'ready' }],
    ['IPv6 overlap', [eip('a', '2001:db8::/64'), eip('b', '2001:db8::1-2001:db8::ff', { created: '2025-01-01T00:00:00Z' })], { a: 'ready', b: 'overlap' }],
  ];
  for (const [name, eips, expected] of cases) {
    const { reports } = classifyEips(eips);
    assert.deepEqual(Object.fromEntries(reports.map((report) => [report.name, report.state])), expected, name);
    assert.deepEqual(reports.map((report) => report.name), eips.map((item) => item.metadata.name), `${name}: input order`);
  }
});

test('messages say why', () => {
  const { reports } = classifyEips([
    eip('old', '192.0.2.0/24'),
    eip('new', '192.0.2.5', { created: '2025-01-01T00:00:00Z' }),
    eip('bad', '192.0.2.0/40'),
    eip('l2', '198.51.100.0/24', { protocol: 'layer2' }),
    eip('off', '203.0.113.0/24', { disable: true }),
  ]);
  const message = Object.fromEntries(reports.map((report) => [report.name, report.message]));
  assert.match(message.old, /IPv4 192\.0\.2\.0\/24, 256 addresses/);
  assert.match(message.new, /overlaps Eip old .*older/);
  assert.match(message.bad, /spec.address: \/40 is not a prefix length/);
  assert.match(message.l2, /protocol layer2 is not supported/);
  assert.match(message.off, /disabled: keeps the addresses it gave/);
});
