/**
 * When the pool's threads start: with the first batch that needs one by default, and with the pool
 * when it is asked to (as a speaker does). Each started thread holds a MessagePort to the main thread.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnginePool } from './index.ts';

const ports = () => process.getActiveResourcesInfo().filter((resource) => resource === 'MessagePort').length;

function pool(startThreads: boolean): EnginePool {
  const made = EnginePool.create({ mode: 'auto', threads: 2, implementation: 'auto' }, { startThreads });
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

test('by default no thread starts before a batch needs one', async () => {
  const before = ports();
  const lazy = pool(false);
  assert.equal(ports() - before, 0);
  await lazy.close();
});

/** The ports once they number `expected`, or after two seconds: a closed port lets go a turn or more after close. */
async function portsSettledAt(expected: number): Promise<number> {
  for (let wait = 0; wait < 200 && ports() !== expected; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
  return ports();
}

test('startThreads starts every thread with the pool', async () => {
  const before = ports();
  const eager = pool(true);
  assert.equal(ports() - before, 2);
  await eager.close();
  assert.equal((await portsSettledAt(before)) - before, 0);
});
