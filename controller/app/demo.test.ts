import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runDemo } from './demo.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));
const ALL_NODES = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];

test('the demo announces every example VIP, and draining node-2 takes it out of every next-hop set', { timeout: 90_000 }, async () => {
  const lines: string[] = [];
  const { before, after } = await runDemo({ examples: EXAMPLES, print: (line) => lines.push(line) });

  assert.deepEqual(Object.fromEntries(before), {
    '198.51.100.0/32': ALL_NODES,
    '203.0.113.10/32': ALL_NODES,
    // externalTrafficPolicy Local: only the nodes with a ready endpoint announce it.
    '203.0.113.11/32': ['127.0.0.11', '127.0.0.12'],
    // Two Services sharing one address.
    '203.0.113.12/32': ALL_NODES,
  });

  for (const [prefix, hops] of after) assert.ok(!hops.includes('127.0.0.12'), `${prefix} still via the drained node: ${hops.join(', ')}`);
  assert.deepEqual(after.get('203.0.113.11/32'), ['127.0.0.11', '127.0.0.13']);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  assert.ok(lines.some((line) => line.includes('What changed')), lines.join('\n'));
});
