/**
 * The live capture still works: every daemon, every scenario, captured into a scratch directory
 * (never over testdata). Each capture must be a whole stream of BGP messages that starts with the
 * daemon's OPEN and holds at least one UPDATE. Needs root (namespaces, port 179); a missing daemon
 * binary fails the test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanupAll } from '../netns/cleanup.ts';
import { createNamespace, sweepDeadRuns } from '../netns/namespace.ts';
import { captureScenarios } from './capture-session.ts';
import { DRIVERS } from './drivers.ts';
import { frame } from './framing.ts';
import { SCENARIOS } from './scenarios.ts';

const isRoot = process.getuid?.() === 0;

test(
  'live capture from each daemon',
  {
    skip: isRoot ? false : 'needs root: it creates network namespaces and runs BGP daemons',
    concurrency: true,
    timeout: 240_000,
  },
  async (t) => {
    sweepDeadRuns();
    const outDir = mkdtempSync(join(tmpdir(), 'porter-capture-test-'));
    try {
      const porter = await createNamespace('porter');
      await Promise.all(
        DRIVERS.map((driver, slot) =>
          t.test(driver.name, async () => {
            for (const outcome of await captureScenarios(driver, SCENARIOS, porter, slot, outDir)) {
              const name = `${driver.name} ${outcome.record.scenario}`;
              const bytes = readFileSync(outcome.binFile);
              assert.ok(bytes.length > 0, `${name}: empty capture`);
              const framing = frame(bytes);
              assert.equal(framing.badMarkerAt, undefined, `${name}: marker not all ones at ${framing.badMarkerAt}`);
              assert.equal(framing.consumed, bytes.length, `${name}: partial message at ${framing.consumed}`);
              assert.equal(framing.messages[0]?.type, 1, `${name}: does not start with an OPEN`);
              assert.ok(framing.messages.some((m) => m.type === 2), `${name}: no UPDATE`);
              const record = JSON.parse(readFileSync(join(outDir, `${driver.name}-${outcome.record.scenario}.json`), 'utf8'));
              assert.deepEqual(record, outcome.record);
            }
          }),
        ),
      );
    } finally {
      cleanupAll();
      rmSync(outDir, { recursive: true, force: true });
    }
  },
);
