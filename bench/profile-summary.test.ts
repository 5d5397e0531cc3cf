/** bench/profile-summary.ts over a synthetic profile whose self, total and category times are known. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { categoryOf, type CpuProfile, describeThread, type ProfileNode, summarise } from './profile-summary.ts';

const root = '/repo';
const url = (path: string) => pathToFileURL(`${root}/${path}`).href;
const frame = (id: number, functionName: string, fileUrl: string, children: number[] = []): ProfileNode =>
  ({ id, callFrame: { functionName, url: fileUrl, lineNumber: 9, columnNumber: 4 }, children });

/**
 * (root) ─┬─ handleData (engine/session) ─┬─ announce (engine/rib) ─── recurse (engine/rib) ─── recurse
 *         │                               └─ encodeRoutes (native, no URL) under native/index.js
 *         ├─ (garbage collector)
 *         ├─ (idle)
 *         └─ processTicks (node:internal) ─── emit (node_modules/pino)
 */
const nodes = [
  frame(1, '(root)', '', [2, 7, 8, 9]),
  frame(2, 'handleData', url('engine/session/driver.ts'), [3, 5]),
  frame(3, 'announce', url('engine/rib/adj-rib-in.ts'), [4]),
  frame(4, 'recurse', url('engine/rib/adj-rib-in.ts'), [11]),
  frame(11, 'recurse', url('engine/rib/adj-rib-in.ts')),
  frame(5, 'encode', url('native/index.js'), [6]),
  frame(6, 'encodeRoutes', ''),
  frame(7, '(garbage collector)', ''),
  frame(8, '(idle)', ''),
  frame(9, 'processTicks', 'node:internal/process/task_queues', [10]),
  frame(10, 'emit', url('node_modules/pino/lib/proto.js')),
];

/** One sample per entry, each lasting 1 ms (the next sample comes 1,000 µs later). */
const stacks = [2, 3, 4, 11, 11, 6, 6, 6, 7, 8, 8, 10];
const profile: CpuProfile = {
  nodes,
  startTime: 0,
  endTime: stacks.length * 1000,
  samples: stacks,
  timeDeltas: stacks.map((_, index) => (index === 0 ? 0 : 1000)),
};

const asObject = (rows: { name: string; ms: number }[]) => Object.fromEntries(rows.map((row) => [row.name, row.ms]));

test('self time goes to the frame on top of the stack, total time to every frame on it, once per sample', () => {
  const summary = summarise(profile, { top: 100, by: 'function', root });
  assert.equal(summary.sampledMs, 12);
  assert.equal(summary.busyMs, 10);
  const self = asObject(summary.bySelf);
  assert.equal(self['recurse engine/rib/adj-rib-in.ts:10:5'], 3);
  assert.equal(self.encodeRoutes, 3);
  assert.equal(self['(garbage collector)'], 1);
  const total = asObject(summary.byTotal);
  assert.equal(total['handleData engine/session/driver.ts:10:5'], 8);
  assert.equal(total['announce engine/rib/adj-rib-in.ts:10:5'], 4);
  // Three samples have recurse on the stack, two of them twice.
  assert.equal(total['recurse engine/rib/adj-rib-in.ts:10:5'], 3);
  assert.equal(summary.bySelf[0].share, 3 / 12);
});

test('categories: GC, idle, node internals, dependencies, Porter directories, native frames with their caller', () => {
  const categories = asObject(summarise(profile, { top: 100, by: 'function', root }).categories);
  assert.deepEqual(categories, {
    'engine/session': 1,
    'engine/rib': 4,
    'native addon': 3,
    GC: 1,
    idle: 2,
    'node_modules/pino': 1,
  });
  assert.equal(categoryOf('node:internal/timers', 'listOnTimeout', root), 'node internals');
  assert.equal(categoryOf(url('node_modules/@kubernetes/client-node/dist/x.js'), 'f', root), 'node_modules/@kubernetes/client-node');
  assert.equal(categoryOf(url('engine/speaker.ts'), 'f', root), 'engine');
  assert.equal(categoryOf('file:///elsewhere/x.js', 'f', root), 'other');
  assert.equal(categoryOf('wasm://wasm/a1b2', 'f', root), 'other');
});

test('--by file adds up the functions of each file', () => {
  const self = asObject(summarise(profile, { top: 100, by: 'file', root }).bySelf);
  assert.equal(self['engine/rib/adj-rib-in.ts'], 4);
  assert.equal(self['node_modules/pino/lib/proto.js'], 1);
});

test('the thread comes from the file name node --cpu-prof writes', () => {
  assert.equal(describeThread('/tmp/p/CPU.20261126.234501.4242.0.001.cpuprofile'), 'pid 4242, main thread');
  assert.equal(describeThread('CPU.20261126.234501.4242.3.002.cpuprofile'), 'pid 4242, worker thread 3');
  assert.match(describeThread('reflector.cpuprofile'), /unknown/);
});
