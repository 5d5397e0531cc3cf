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
      // Every path of a prefix, whatever the ranking (RFC 7911): one per injector here.
      ...(index >= scenario.injectors && scenario.addPath ? { addPath: { 'ipv4-unicast': 'send' as const }, addPathSendMax: 255 } : {}),
    })),
    routes: [],
  };
}

/** `node --cpu-prof` writes a V8 profile of the target here when set. */
export interface PorterTargetOptions {
  profileDirectory?: string;
}

/**
 * The ways Porter runs, each a target of its own: `porter` as it ships (the addon, with update
 * groups' large encodings on the worker pool), `porter-main` (the addon, everything on the main
 * thread) and `porter-ts` (TypeScript only, no pool). Goals and ratios are `porter`'s.
 */
const VARIANTS: { name: string; label: string; env: NodeJS.ProcessEnv }[] = [
  { name: 'porter', label: 'native + pool', env: { PORTER_IMPL: 'native', PORTER_POOL: 'auto' } },
  { name: 'porter-main', label: 'native, main thread', env: { PORTER_IMPL: 'native', PORTER_POOL: 'off' } },
  { name: 'porter-ts', label: 'TypeScript, main thread', env: { PORTER_IMPL: 'ts', PORTER_POOL: 'off' } },
];

/** The Porter targets, optionally profiled. */
export function porterTargets(options: PorterTargetOptions = {}): Target[] {
  return VARIANTS.map(({ name, label, env }) => ({
    name,
    async version() {
      return `${name}: Porter (Node ${process.version}, ${label})`;
    },
    async start(namespace, workDir, scenario) {
      const configFile = join(workDir, 'porter.json');
      const logFile = join(workDir, 'porter.log');
      writeFileSync(configFile, JSON.stringify(porterScaleConfig(scenario)));
      const profile = options.profileDirectory === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.profileDirectory];
      const [file, args] = withOpenFiles(process.execPath, [...profile, PORTER, 'bgp', 'serve', '--config', configFile]);
      const proc = spawnIn(namespace, file, args, { logFile, cwd: REPO_ROOT, env: { ...process.env, ...env } });
      // SIGTERM first: Porter ends its sessions and, when profiled, writes its profile on the way out.
      return { pid: proc.pid, stop: () => proc.stop(10_000), log: () => readLog(logFile) };
    },
  }));
}
