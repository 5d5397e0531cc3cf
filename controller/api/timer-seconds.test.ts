import assert from 'node:assert/strict';
import { it } from 'node:test';
import { timerSeconds } from './timer-seconds.ts';

it('reads timers given as numbers or as their text, as OpenELB manifests write them', () => {
  const cases: [number | string | undefined, number | undefined][] = [
    [90, 90],
    ['90', 90],
    ['0', 0],
    [0, 0],
    [undefined, undefined],
    ['', undefined],
    ['90s', undefined],
    [' 90', undefined],
    ['-1', undefined],
    [-1, undefined],
    [1.5, undefined],
    ['1.5', undefined],
  ];
  for (const [value, expected] of cases) assert.equal(timerSeconds(value), expected, JSON.stringify(value));
});
