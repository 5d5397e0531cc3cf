/** `porter info`: which implementation the engine runs on, and why. */
import { Command } from 'commander';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';

export function infoCommand(): Command {
  return new Command('info').description('show the version and the implementation in use').action(() => {
    console.log(`porter ${process.env.npm_package_version ?? ''}`.trim());
    console.log(describeSelection(selectCodec()));
  });
}
