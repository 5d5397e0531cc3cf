/** The clocks the driver runs on: the manual one tests use, and the real one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock, realClock } from './clock.ts';

test('manual clock: timers fire in due order as time is advanced, with the clock at their due time', () => {
  const clock = new ManualClock();
  const fired: string[] = [];
  const at = (name: string) => () => fired.push(`${name}@${clock.now()}`);
  clock.setTimer('hold', 9, at('hold'));
  clock.setTimer('keepalive', 3, at('keepalive'));
  clock.setTimer('tie-first', 5, at('tie-first'));
  clock.setTimer('tie-second', 5, at('tie-second'));
  clock.advance(2.5);
  assert.deepEqual(fired, []);
  clock.advance(3);
  assert.deepEqual(fired, ['keepalive@3000', 'tie-first@5000', 'tie-second@5000']);
  assert.equal(clock.now(), 5500);
  assert.deepEqual(clock.pending(), [{ name: 'hold', due: 9000 }]);
});

test('manual clock: a timer armed by a firing timer fires within the same advance when due', () => {
  const clock = new ManualClock();
  const fired: number[] = [];
  const keepalive = () => {
    fired.push(clock.now());
    clock.setTimer('keepalive', 3, keepalive);
  };
  clock.setTimer('keepalive', 3, keepalive);
  clock.advance(10);
  assert.deepEqual(fired, [3000, 6000, 9000]);
  assert.deepEqual(clock.pending(), [{ name: 'keepalive', due: 12000 }]);
});

test('manual clock: a cleared timer never fires, clearing twice is harmless', () => {
  const clock = new ManualClock();
  let fired = false;
  const timer = clock.setTimer('retry', 1, () => (fired = true));
  clock.clear(timer);
  clock.clear(timer);
  clock.advance(5);
  assert.equal(fired, false);
  assert.deepEqual(clock.pending(), []);
});

test('real clock: fires after the delay, and a cleared timer does not', async () => {
  const started = realClock.now();
  const fired = await new Promise<number>((resolve) => {
    const cleared = realClock.setTimer('cleared', 0.01, () => resolve(-1));
    realClock.clear(cleared);
    realClock.setTimer('kept', 0.02, () => resolve(realClock.now()), { keepsProcessAlive: true });
  });
  assert.ok(fired - started >= 19, `fired after ${fired - started} ms`);
});
