/** The tester measured alone: the wire forwarder (bench/scale/wire-forwarder.ts) stands where a router would. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLog } from '../../../test/daemons/log.ts';
import { spawnIn } from '../../../test/netns/process.ts';
import { type Target, withOpenFiles } from './target.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const wireTarget: Target = {
  name: 'tester',
  async version() {
    return 'wire forwarder (no routing)';
  },
  async start(namespace, workDir, scenario) {
    const logFile = join(workDir, 'forwarder.log');
    const [file, args] = withOpenFiles(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'scale', 'wire-forwarder.ts'), String(scenario.injectors),
      ...(scenario.addPath ? ['--add-path'] : [])]);
    const proc = spawnIn(namespace, file, args, { logFile, cwd: REPO_ROOT });
    return { pid: proc.pid, stop: () => proc.stop(), log: () => readLog(logFile) };
  },
};
