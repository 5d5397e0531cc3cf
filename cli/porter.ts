/** `porter`: the command-line entry point. */
import { Command } from 'commander';
import { bgpCommand } from './bgp-command.ts';
import { controllerCommand, speakerCommand } from './cluster-commands.ts';
import { demoCommand } from './demo-command.ts';
import { infoCommand } from './info-command.ts';
import { runCommand } from './run-command.ts';
import { wireCommand } from './wire-command.ts';

const program = new Command('porter')
  .description('Porter: BGP load balancer for bare-metal Kubernetes')
  .showHelpAfterError()
  .addCommand(wireCommand())
  .addCommand(infoCommand())
  .addCommand(bgpCommand())
  .addCommand(controllerCommand())
  .addCommand(speakerCommand())
  .addCommand(runCommand())
  .addCommand(demoCommand());

await program.parseAsync(process.argv);
