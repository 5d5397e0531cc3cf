/**
 * Table-driven tests for one tie-breaker: each case is a pair of paths that differ only in what
 * the tie-breaker reads. The comparator must prefer one way and only one way, and `rank` must
 * eliminate the other path at that tie-breaker whatever the input order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Path } from '../path.ts';
import { rank } from './rank.ts';
import type { Comparator, RankOptions, TieBreakerName } from './types.ts';

export interface PairCase {
  name: string;
  preferred: Path;
  other: Path;
  options?: RankOptions;
}

export interface TieCase {
  name: string;
  a: Path;
  b: Path;
  options?: RankOptions;
}

export function testPreference(tieBreaker: TieBreakerName, compare: Comparator, cases: PairCase[]): void {
  for (const { name, preferred, other, options = {} } of cases) {
    test(`${tieBreaker}: ${name}`, () => {
      assert.ok(compare(preferred, other, options) < 0, 'preferred first');
      assert.ok(compare(other, preferred, options) > 0, 'other second');
      assert.equal(compare(preferred, preferred, options), 0);
      for (const paths of [
        [preferred, other],
        [other, preferred],
      ]) {
        const ranking = rank(paths, options);
        assert.equal(ranking.best, preferred);
        assert.deepEqual(
          ranking.losers.map((loser) => [loser.path, loser.reason, loser.against]),
          [[other, tieBreaker, preferred]],
        );
      }
    });
  }
}

export function testTie(tieBreaker: TieBreakerName, compare: Comparator, cases: TieCase[]): void {
  for (const { name, a, b, options = {} } of cases) {
    test(`${tieBreaker}: ${name} tie`, () => {
      assert.equal(compare(a, b, options), 0);
      assert.equal(compare(b, a, options), 0);
    });
  }
}
