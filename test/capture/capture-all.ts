/**
 * `npm run capture [daemon...]`: captures every scenario from every daemon (or the named ones) into
 * testdata/wire/captures. Daemons run at once, each in its own namespaces; a daemon's scenarios run
 * one after another. Captures go to a scratch directory first and replace the committed ones only
 * when every capture of the run succeeded, so a failed run leaves testdata as it was.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll } from '../netns/cleanup.ts';
import { createNamespace, sweepDeadRuns } from '../netns/namespace.ts';
import { captureScenarios } from './capture-session.ts';
import { DRIVERS } from './drivers.ts';
import { countMessages } from './framing.ts';
import { SCENARIOS } from './scenarios.ts';

const CAPTURES = fileURLToPath(new URL('../../testdata/wire/captures/', import.meta.url));
const RUN_LIMIT_MS = 170_000;

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.error('capture needs root: it creates network namespaces and runs BGP daemons');
    return 1;
  }
  const wanted = process.argv.slice(2);
  const drivers = wanted.length ? DRIVERS.filter((d) => wanted.includes(d.name)) : DRIVERS;
  if (drivers.length !== (wanted.length || DRIVERS.length)) {
    console.error(`unknown daemon; known: ${DRIVERS.map((d) => d.name).join(', ')}`);
    return 1;
  }
  sweepDeadRuns();
  const scratch = mkdtempSync(join(tmpdir(), 'porter-capture-'));
  try {
    const porter = await createNamespace('porter');
    const results = await Promise.allSettled(
      drivers.map((driver) => captureScenarios(driver, SCENARIOS, porter, DRIVERS.indexOf(driver), scratch)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    for (const outcome of results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []))) {
      const { daemon, version, scenario, context } = outcome.record;
      const counts = countMessages(readFileSync(outcome.binFile));
      console.log(`${daemon} ${version} ${scenario}: ${outcome.bytes} bytes, ended by ${outcome.end.reason}, ${JSON.stringify(counts)}, context ${JSON.stringify(context)}`);
    }
    for (const driver of drivers) console.log(`${driver.name} leaves out: ${driver.limits.join('; ')}`);
    for (const failure of failures) console.error(failure.message);
    if (failures.length) return 1;
    mkdirSync(CAPTURES, { recursive: true });
    for (const file of readdirSync(scratch)) copyFileSync(join(scratch, file), join(CAPTURES, file));
    console.log(`wrote ${readdirSync(scratch).length} files to ${CAPTURES}`);
    return 0;
  } finally {
    cleanupAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const limit = setTimeout(() => {
  console.error(`capture did not finish within ${RUN_LIMIT_MS / 1000} s`);
  cleanupAll();
  process.exit(1);
}, RUN_LIMIT_MS);
const code = await main();
clearTimeout(limit);
process.exit(code);
