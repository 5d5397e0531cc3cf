/** Porter as the target: `porter bgp serve` with every session a passive iBGP peer, receivers as reflection clients. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpeakerConfig } from '../../../engine/speaker/config.ts';
import { readLog } from '../../../test/daemons/log.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from '../addresses.ts';
import { type Scenario, sessionCount } from '../scenarios.ts';
import { type Target, withOpenFiles } from './target.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PORTER = join(REPO_ROOT, 'bin', 'porter.mjs');

/** The `porter bgp serve` configuration for a scenario (engine/speaker/config.ts). */
export function porterScaleConfig(scenario: Scenario): SpeakerConfig {
  return {
    asn: ASN,
    routerId: TARGET_ADDRESS,
    clusterId: TARGET_ADDRESS,
    listen: [{ address: TARGET_ADDRESS, port: 179 }],
    peers: Array.from({ length: sessionCount(scenario) }, (_, index) => ({
      address: sessionAddress(index),
      asn: ASN,
      localAddress: TARGET_ADDRESS,
      passive: true,
      ...(index >= scenario.injectors ? { rrClient: true } : {}),
    })),
    routes: [],
  };
}

/** `node --cpu-prof` writes a V8 profile of the target here when set. */
export interface PorterTargetOptions {
  profileDirectory?: string;
}

/** The Porter target, optionally profiled. */
export function porterTarget(options: PorterTargetOptions = {}): Target {
  return {
    name: 'porter',
    async version() {
      return `Porter (Node ${process.version})`;
    },
    async start(namespace, workDir, scenario) {
      const configFile = join(workDir, 'porter.json');
      const logFile = join(workDir, 'porter.log');
      writeFileSync(configFile, JSON.stringify(porterScaleConfig(scenario)));
      const profile = options.profileDirectory === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.profileDirectory];
      const [file, args] = withOpenFiles(process.execPath, [...profile, PORTER, 'bgp', 'serve', '--config', configFile]);
      const proc = spawnIn(namespace, file, args, { logFile, cwd: REPO_ROOT });
      // SIGTERM first: Porter ends its sessions and, when profiled, writes its profile on the way out.
      return { pid: proc.pid, stop: () => proc.stop(10_000), log: () => readLog(logFile) };
    },
  };
}
