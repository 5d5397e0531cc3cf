/**
 * GoBGP as the target: gobgpd with one passive neighbour per session, receivers as
 * route-reflector clients, and no policy (GoBGP's default accepts every route both ways).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLog } from '../../../test/daemons/log.ts';
import { run } from '../../../test/netns/exec.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from '../addresses.ts';
import { type Scenario, sessionCount } from '../scenarios.ts';
import { type Target, withOpenFiles } from './target.ts';

/** The gobgpd TOML configuration for a scenario. */
export function renderGobgpScaleConfig(scenario: Scenario): string {
  const lines = ['[global.config]', `  as = ${ASN}`, `  router-id = "${TARGET_ADDRESS}"`, `  local-address-list = ["${TARGET_ADDRESS}"]`, ''];
  for (let index = 0; index < sessionCount(scenario); index++) {
    lines.push(
      '[[neighbors]]',
      '  [neighbors.config]',
      `    neighbor-address = "${sessionAddress(index)}"`,
      `    peer-as = ${ASN}`,
      '  [neighbors.transport.config]',
      `    local-address = "${TARGET_ADDRESS}"`,
      '    passive-mode = true',
    );
    if (index >= scenario.injectors) {
      lines.push('  [neighbors.route-reflector.config]', '    route-reflector-client = true', `    route-reflector-cluster-id = "${TARGET_ADDRESS}"`);
    }
    lines.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', '      afi-safi-name = "ipv4-unicast"');
    if (index >= scenario.injectors && scenario.addPath) lines.push('    [neighbors.afi-safis.add-paths.config]', '      send-max = 255');
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export const gobgpTarget: Target = {
  name: 'gobgp',
  async version() {
    return `GoBGP ${/version (\S+)/.exec((await run('gobgpd', ['--version'])).stdout)?.[1] ?? 'unknown'}`;
  },
  async start(namespace, workDir, scenario) {
    const configFile = join(workDir, 'gobgpd.toml');
    const logFile = join(workDir, 'gobgpd.log');
    writeFileSync(configFile, renderGobgpScaleConfig(scenario));
    const [file, args] = withOpenFiles('gobgpd', ['-f', configFile, '--api-hosts', '127.0.0.1:50051', '--pprof-disable']);
    const proc = spawnIn(namespace, file, args, { logFile });
    return { pid: proc.pid, stop: () => proc.stop(), log: () => readLog(logFile) };
  },
};
