/**
 * `porter wire decode|encode` on every captured session: both implementations print the same lines,
 * and encoding those lines gives back the captured bytes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { SessionContext } from '../../engine/wire/types.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const porter = join(root, 'bin', 'porter.mjs');
const capturesDir = join(root, 'testdata', 'wire', 'captures');

function contextFlags(context: SessionContext): string[] {
  const flags: string[] = [];
  if (context.fourOctetAs === false) flags.push('--as2');
  if (context.extendedMessage) flags.push('--extended-message');
  if (context.addPath && context.addPath.length > 0) flags.push('--add-path', context.addPath.join(','));
  return flags;
}

async function porterCli(args: string[], input?: string): Promise<string> {
  const child = run(process.execPath, [porter, ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

const captures = readdirSync(capturesDir)
  .filter((name) => name.endsWith('.bin'))
  .sort();

test('there are captures from every daemon', () => {
  for (const daemon of ['bird', 'frr', 'gobgp', 'openbgpd', 'exabgp']) {
    assert.ok(captures.some((name) => name.startsWith(`${daemon}-`)), `no capture from ${daemon}`);
  }
});

for (const capture of captures) {
  test(`porter wire decode/encode: ${capture}`, async () => {
    const binPath = join(capturesDir, capture);
    const meta = JSON.parse(readFileSync(binPath.replace(/\.bin$/, '.json'), 'utf8')) as { context: SessionContext };
    const flags = contextFlags(meta.context);
    const [ts, native] = await Promise.all([
      porterCli(['wire', 'decode', '--impl', 'ts', ...flags, binPath]),
      porterCli(['wire', 'decode', '--impl', 'native', ...flags, binPath]),
    ]);
    assert.ok(ts.length > 0, 'no output');
    assert.equal(native, ts, 'native and TypeScript decode differently');
    const hex = await porterCli(['wire', 'encode', '--hex', ...flags, '-'], ts);
    assert.equal(hex.replace(/\n/g, ''), readFileSync(binPath).toString('hex'), 'encode(decode(bytes)) != bytes');
  });
}
