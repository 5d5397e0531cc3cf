/** `porter info`: the version, and which implementation the engine runs on and why. */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function infoCommand(): Command {
  return new Command('info').description('show the version and the implementation in use').action(() => {
    console.log(`porter ${packageJson.version}`);
    console.log(describeSelection(selectCodec()));
  });
}
