/**
 * OpenBGPD as the target: bgpd in the foreground (`-d`) with its own control socket, two groups
 * (injectors; receivers as route-reflector clients, with a cluster id), and `allow` rules both ways,
 * since its filters deny every route no rule allows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { abandon, readLog } from '../../../test/daemons/log.ts';
import { run } from '../../../test/netns/exec.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { until } from '../../../test/netns/wait.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from '../addresses.ts';
import type { Scenario } from '../scenarios.ts';
import { type Target, withOpenFiles } from './target.ts';

/** The home and chroot of bgpd's unprivileged user, which the package does not create. */
const CHROOT = '/run/openbgpd';

/** The bgpd.conf for a scenario, its control socket at `socket`. */
export function renderOpenbgpdScaleConfig(scenario: Scenario, socket: string): string {
  const lines = [
    `AS ${ASN}`,
    `router-id ${TARGET_ADDRESS}`,
    `listen on ${TARGET_ADDRESS}`,
    // The target only reflects: nothing goes to the kernel's table.
    'fib-update no',
    `socket "${socket}"`,
    '',
  ];
  // Groups hold what the sessions share, so each neighbour block is one line.
  const groups = [
    { name: 'injectors', first: 0, end: scenario.injectors, options: [] as string[] },
    {
      name: 'receivers',
      first: scenario.injectors,
      end: scenario.injectors + scenario.receivers,
      // With ADD-PATH the receivers get every path, not only the best (RFC 7911).
      options: [`route-reflector ${TARGET_ADDRESS}`, ...(scenario.addPath ? ['announce add-path send all'] : [])],
    },
  ];
  for (const group of groups) {
    lines.push(`group "${group.name}" {`, `  remote-as ${ASN}`, `  local-address ${TARGET_ADDRESS}`, '  passive', ...group.options.map((option) => `  ${option}`));
    for (let index = group.first; index < group.end; index++) lines.push(`  neighbor ${sessionAddress(index)}`);
    lines.push('}', '');
  }
  lines.push('allow from any', 'allow to any');
  return `${lines.join('\n')}\n`;
}

export const openbgpdTarget: Target = {
  name: 'openbgpd',
  // bgpd listens with a backlog of 5 and nothing in bgpd.conf changes it.
  connectConcurrency: 4,
  async version() {
    const printed = await run('bgpd', ['-V']);
    return `OpenBGPD ${/OpenBGPD (\S+)/.exec(printed.stdout + printed.stderr)?.[1] ?? 'unknown'}`;
  },
  async start(namespace, workDir, scenario) {
    mkdirSync(CHROOT, { recursive: true });
    const configFile = join(workDir, 'bgpd.conf');
    const socket = join(workDir, 'bgpd.sock');
    const logFile = join(workDir, 'bgpd.log');
    writeFileSync(configFile, renderOpenbgpdScaleConfig(scenario, socket));
    const [file, args] = withOpenFiles('bgpd', ['-d', '-f', configFile]);
    const proc = spawnIn(namespace, file, args, { logFile });
    const log = () => readLog(logFile);
    // bgpd answers on its control socket once its session engine has the configuration; sessions
    // dialled before then are refused and would be retried, inflating the establish time.
    await until('bgpctl', async () => (await run('bgpctl', ['-s', socket, 'show', 'summary'])).stdout.includes('Neighbor'), 60_000)
      .catch((error) => abandon(proc, error, log));
    return { pid: proc.pid, stop: () => proc.stop(), log };
  },
};
