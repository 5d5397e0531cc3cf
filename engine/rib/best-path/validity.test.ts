import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePath } from '../path.ts';
import { testPath } from '../test-paths.ts';
import { testPreference } from './pair-cases.ts';
import { rank } from './rank.ts';
import { compareByValidity } from './validity.ts';

const reachable = testPath({ kind: 'ibgp', peer: '10.0.0.2', igpCost: 10 });
const unreachable = testPath({ kind: 'ibgp', peer: '10.0.0.1', igpCost: 'unreachable' });

testPreference('validity', compareByValidity, [
  { name: 'a resolvable next hop over an unresolvable one', preferred: reachable, other: unreachable },
]);

test('validity: the hook can reject a path', () => {
  const input = {
    source: reachable.source,
    nextHops: reachable.nextHops,
    attributes: reachable.attributes,
  };
  const rejected = makePath(input, { valid: () => false });
  assert.equal(rejected.ranking.valid, false);
  assert.ok(compareByValidity(reachable, rejected, {}) < 0);
});

test('validity: with no valid path there is no best, and every path lost at validity', () => {
  const other = testPath({ kind: 'ibgp', peer: '10.0.0.3', igpCost: 'unreachable' });
  const ranking = rank([unreachable, other], {});
  assert.equal(ranking.best, undefined);
  assert.deepEqual(ranking.multipath, []);
  assert.deepEqual(
    ranking.losers.map((loser) => [loser.path, loser.reason, loser.against]),
    [
      [unreachable, 'validity', undefined],
      [other, 'validity', undefined],
    ],
  );
});
