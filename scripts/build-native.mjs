// Builds the napi-rs addon in release mode. Run by `npm install`: a missing cargo or a failed build
// leaves the install intact and the engine on its TypeScript implementation (`--required` makes it fatal).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.argv.includes('--required');

function fail(reason) {
  const message = `porter: native addon not built (${reason}); the engine will use the TypeScript implementation.`;
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

const napi = join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js');
if (!existsSync(napi)) fail('@napi-rs/cli is not installed');
if (spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status !== 0) fail('cargo not found');

const build = spawnSync(
  process.execPath,
  [napi, 'build', '--platform', '--release', '--manifest-path', 'native/node/Cargo.toml',
    '--package-json-path', 'package.json', '--output-dir', 'native/node', '--js', 'index.cjs', '--dts', 'index.d.cts'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) fail(`cargo build exited with ${build.status}`);
