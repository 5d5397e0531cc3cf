/** `porter demo`: the embedded default that `npm start` runs; see controller/app/demo.ts. */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';

const EXAMPLES = fileURLToPath(new URL('../examples', import.meta.url));

export function demoCommand(): Command {
  return new Command('demo')
    .description('run three example nodes and a route reflector on loopback, print the VIP table, drain a node, print what changed')
    .option('--examples <dir>', 'the manifests to run', EXAMPLES)
    .action(async (options: { examples: string }) => {
      const { runDemo } = await import('../controller/app/demo.ts');
      const selection = selectCodec();
      console.log(describeSelection(selection));
      await runDemo({ examples: options.examples, print: (line) => console.log(line), speakerOptions: { codec: selection.codec } });
    });
}
