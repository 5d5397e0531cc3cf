/** BIRD 2 as the target: one passive `protocol bgp` per session, receivers as `rr client`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLog } from '../../../test/daemons/log.ts';
import { run } from '../../../test/netns/exec.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from '../addresses.ts';
import { type Scenario, sessionCount } from '../scenarios.ts';
import { type Target, withOpenFiles } from './target.ts';

/** The BIRD configuration for a scenario. */
export function renderBirdScaleConfig(scenario: Scenario, logFile: string): string {
  const lines = [
    `log "${logFile}" { info, warning, error, fatal, bug };`,
    `router id ${TARGET_ADDRESS};`,
    // Interfaces are needed to resolve `direct` next hops.
    'protocol device {}',
    '',
    // One template: the sessions differ only in neighbour address and reflection.
    'template bgp tester {',
    `  local ${TARGET_ADDRESS} as ${ASN};`,
    '  passive on;',
    // iBGP sessions are multihop by default; these share the link.
    '  direct;',
    '  ipv4 { import all; export all; };',
    '}',
    '',
  ];
  for (let index = 0; index < sessionCount(scenario); index++) {
    const receiver = index >= scenario.injectors;
    // With ADD-PATH the receivers' channel sends every path, not only the best (RFC 7911).
    const addPath = receiver && scenario.addPath ? ' ipv4 { import all; export all; add paths tx; };' : '';
    const options = receiver ? ` rr client; rr cluster id ${TARGET_ADDRESS};${addPath}` : '';
    lines.push(`protocol bgp s${index} from tester { neighbor ${sessionAddress(index)} as ${ASN};${options} }`);
  }
  return `${lines.join('\n')}\n`;
}

export const birdTarget: Target = {
  name: 'bird',
  async version() {
    return `BIRD ${/version (\S+)/.exec((await run('bird', ['--version'])).stderr)?.[1] ?? 'unknown'}`;
  },
  async start(namespace, workDir, scenario) {
    const configFile = join(workDir, 'bird.conf');
    const logFile = join(workDir, 'bird.log');
    writeFileSync(configFile, renderBirdScaleConfig(scenario, logFile));
    const [file, args] = withOpenFiles('bird', ['-f', '-c', configFile, '-s', join(workDir, 'bird.ctl'), '-P', join(workDir, 'bird.pid')]);
    const proc = spawnIn(namespace, file, args, { logFile: join(workDir, 'bird.out') });
    return { pid: proc.pid, stop: () => proc.stop(), log: () => readLog(join(workDir, 'bird.out'), logFile) };
  },
};
