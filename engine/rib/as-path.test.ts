import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AsPathSegment } from '../wire/types.ts';
import { asPathKey, asPathLength, neighborAs } from './as-path.ts';

const LOCAL = 65000;

const cases: { name: string; segments: AsPathSegment[]; length: number; neighbor: number; key: string }[] = [
  { name: 'empty', segments: [], length: 0, neighbor: LOCAL, key: '' },
  { name: 'sequence', segments: [{ type: 'sequence', asns: [1, 2, 3] }], length: 3, neighbor: 1, key: '1 2 3' },
  {
    name: 'sequence then set',
    segments: [
      { type: 'sequence', asns: [1, 2] },
      { type: 'set', asns: [3, 4, 5] },
    ],
    length: 3,
    neighbor: 1,
    key: '1 2 {3,4,5}',
  },
  {
    name: 'leading set (an aggregate)',
    segments: [{ type: 'set', asns: [3, 4] }],
    length: 1,
    neighbor: LOCAL,
    key: '{3,4}',
  },
  {
    name: 'confederation segments first',
    segments: [
      { type: 'confed-sequence', asns: [65100, 65101] },
      { type: 'confed-set', asns: [65102, 65103] },
      { type: 'sequence', asns: [7, 8] },
    ],
    length: 2,
    neighbor: 7,
    key: '(65100 65101) [65102,65103] 7 8',
  },
  {
    name: 'confederation only',
    segments: [{ type: 'confed-sequence', asns: [65100] }],
    length: 0,
    neighbor: LOCAL,
    key: '(65100)',
  },
];

for (const { name, segments, length, neighbor, key } of cases) {
  test(`AS path ${name}`, () => {
    assert.equal(asPathLength(segments), length);
    assert.equal(neighborAs(segments, LOCAL), neighbor);
    assert.equal(asPathKey(segments), key);
  });
}
