// `npm test`: every test tier. Installs missing system packages, builds the native addon (cargo
// caches it), then runs the tiers in parallel and prints each tier's output as it finishes, then a
// summary. Any tier that fails or cannot run fails the whole command.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

function nodeTier(name, dirs, { background = false } = {}) {
  const files = dirs.flatMap((dir) => testFiles(dir));
  const args = ['--test', '--import', 'tsx', '--test-reporter=spec', '--test-concurrency=4', ...files];
  return { name, command: process.execPath, args, files: files.length, background };
}

// The tiers share two cores. Those that only compute run `background` (nice 10), so the
// interop and end-to-end tiers, whose daemons, speakers and apiserver answer each other under
// deadlines, get the CPU first when they need it and leave it to the others while they wait.
const tiers = [
  { name: 'rust', command: 'cargo', args: ['test', '--workspace', '--color', 'never'], background: true },
  nodeTier('unit', ['engine', 'controller', 'cli', 'bench'], { background: true }),
  nodeTier('wire', ['test/wire', 'test/cli'], { background: true }),
  nodeTier('interop', ['test/netns', 'test/daemons', 'test/capture', 'test/interop', 'test/standalone']),
  nodeTier('packaging', ['test/packaging'], { background: true }),
  nodeTier('e2e', ['test/e2e']),
];

function counts(tier, output) {
  if (tier.command === 'cargo') {
    let passed = 0;
    let failed = 0;
    for (const match of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
      passed += Number(match[1]);
      failed += Number(match[2]);
    }
    return { passed, failed };
  }
  const pass = /ℹ pass (\d+)/.exec(output);
  const fail = /ℹ fail (\d+)/.exec(output);
  return { passed: Number(pass?.[1] ?? 0), failed: Number(fail?.[1] ?? 0) };
}

/** The test runner's closing list of failing tests with their errors, or the output's tail. */
function failureDetails(output) {
  const start = output.lastIndexOf('✖ failing tests:');
  const text = start >= 0 ? output.slice(start) : output;
  const lines = text.split('\n');
  return (start >= 0 ? lines.slice(0, 400) : lines.slice(-60)).join('\n');
}

function run(tier) {
  const started = Date.now();
  return new Promise((resolve) => {
    if (tier.files === 0) {
      resolve({ tier, status: 1, output: `no test files for tier ${tier.name}\n`, seconds: 0 });
      return;
    }
    const [command, args] = tier.background ? ['nice', ['-n', '10', tier.command, ...tier.args]] : [tier.command, tier.args];
    const child = spawn(command, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ tier, status: 1, output: `${output}\ncannot run: ${error.message}\n`, seconds: 0 }));
    child.on('close', (status) => resolve({ tier, status, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const started = Date.now();
ensureSystemPackages();
// The slow builds run first, one at a time, and are cached, so that no compiler competes with the
// timing-sensitive tiers for the CPU: the native addon and the Rust tests (cargo), the test control
// plane (kube-apiserver and etcd from their Go modules) and the packaging tools (helm, kubeconform).
// On a warm machine each is a cache hit of about a second.
const builds = [
  { what: 'the native addon', args: [join(root, 'scripts/build-native.mjs'), '--required'] },
  { what: 'the Rust tests', command: 'cargo', args: ['test', '--workspace', '--no-run', '--color', 'never'] },
  { what: 'the test control plane', args: [join(root, 'scripts/cluster.mjs'), 'build'] },
  { what: 'the packaging tools', args: [join(root, 'scripts/tools.mjs'), 'helm', 'kubeconform', 'openapi'] },
  { what: 'the TypeScript transform cache', args: [join(root, 'scripts/warm-transforms.mjs')] },
];
for (const { what, command = process.execPath, args } of builds) {
  const started = Date.now();
  const build = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) {
    console.error(`npm test: ${what} did not build; the tiers need it`);
    process.exit(1);
  }
  console.log(`npm test: ${what} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const pending = tiers.map((tier) =>
  run(tier).then((result) => {
    process.stdout.write(`\n===== tier ${tier.name} =====\n${result.output}`);
    return result;
  }),
);
const results = await Promise.all(pending);

// The failures again, last, where a reader of a long log looks first.
for (const { tier, status, output } of results) {
  if (status === 0) continue;
  const details = failureDetails(output);
  console.log(`\n===== failures in tier ${tier.name} =====\n${details}`);
}

let passed = 0;
let failed = 0;
console.log('\n===== summary =====');
for (const { tier, status, output, seconds } of results) {
  const tally = counts(tier, output);
  passed += tally.passed;
  failed += tally.failed;
  const verdict = status === 0 ? 'ok' : 'FAILED';
  console.log(`${tier.name.padEnd(8)} ${verdict.padEnd(6)} ${tally.passed} passed, ${tally.failed} failed  (${seconds.toFixed(1)} s)`);
  if (status !== 0 && tally.failed === 0) failed += 1;
}
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((result) => result.status === 0) ? 0 : 1);
