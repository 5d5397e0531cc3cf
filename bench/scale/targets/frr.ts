/**
 * FRR as the target: bgpd alone (`-Z`, no zebra), two peer-groups (injectors; receivers as
 * route-reflector clients), so FRR's update-groups, on by default, replicate one UPDATE stream to
 * every receiver.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { abandon, readLog } from '../../../test/daemons/log.ts';
import { run } from '../../../test/netns/exec.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { until } from '../../../test/netns/wait.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from '../addresses.ts';
import { type Scenario, sessionCount } from '../scenarios.ts';
import { type Target, withOpenFiles } from './target.ts';

const BGPD = '/usr/lib/frr/bgpd';

/** The bgpd configuration for a scenario. */
export function renderFrrScaleConfig(scenario: Scenario, logFile: string): string {
  const lines = [
    'frr defaults traditional',
    'hostname frr',
    `log file ${logFile} informational`,
    '!',
    `router bgp ${ASN}`,
    ` bgp router-id ${TARGET_ADDRESS}`,
    ` bgp cluster-id ${TARGET_ADDRESS}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
  ];
  for (const group of ['INJECTORS', 'RECEIVERS']) {
    lines.push(
      ` neighbor ${group} peer-group`,
      ` neighbor ${group} remote-as ${ASN}`,
      ` neighbor ${group} passive`,
      ` neighbor ${group} update-source ${TARGET_ADDRESS}`,
    );
  }
  for (let index = 0; index < sessionCount(scenario); index++) {
    lines.push(` neighbor ${sessionAddress(index)} peer-group ${index < scenario.injectors ? 'INJECTORS' : 'RECEIVERS'}`);
  }
  lines.push(
    ' address-family ipv4 unicast',
    '  neighbor INJECTORS activate',
    '  neighbor RECEIVERS activate',
    '  neighbor RECEIVERS route-reflector-client',
    ...(scenario.addPath ? ['  neighbor RECEIVERS addpath-tx-all-paths'] : []),
    ' exit-address-family',
    '!',
    'line vty',
    '!',
  );
  return `${lines.join('\n')}\n`;
}

export const frrTarget: Target = {
  name: 'frr',
  async version() {
    return `FRR ${/version (\S+)/.exec((await run(BGPD, ['--version'])).stdout)?.[1] ?? 'unknown'}`;
  },
  async start(namespace, workDir, scenario) {
    // bgpd drops to the frr user; it must be able to write its pid, log and socket here.
    chmodSync(workDir, 0o777);
    const configFile = join(workDir, 'bgpd.conf');
    const logFile = join(workDir, 'bgpd.log');
    writeFileSync(configFile, renderFrrScaleConfig(scenario, logFile));
    const [file, args] = withOpenFiles(BGPD, ['-Z', '-n', '-S', '-f', configFile, '-i', join(workDir, 'bgpd.pid'), '--vty_socket', workDir, '-P', '0']);
    const proc = spawnIn(namespace, file, args, { logFile: join(workDir, 'bgpd.out') });
    const log = () => readLog(join(workDir, 'bgpd.out'), logFile);
    // bgpd answers on its vty once it has read its configuration; sessions accepted before that are
    // reset as their address family is activated.
    const vtysh = () => run('vtysh', ['--vty_socket', workDir, '-d', 'bgpd', '-c', 'show bgp ipv4 unicast summary json']);
    await until('bgpd vty', async () => (await vtysh()).stdout.includes('{'), 60_000).catch((error) => abandon(proc, error, log));
    return { pid: proc.pid, stop: () => proc.stop(), log };
  },
};
