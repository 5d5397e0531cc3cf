/**
 * The scale lab: the target in one namespace, the tester in another, one veth pair between them.
 * The tester's end carries one address per session (added in one `ip -batch`, since a thousand
 * `ip addr add` processes would take longer than many runs). Everything is tracked by the cleanup
 * registry of test/netns, so it goes even when a run fails or is interrupted.
 */
import { run } from '../../test/netns/exec.ts';
import { createVethLink } from '../../test/netns/link.ts';
import { createNamespace, deleteNamespace } from '../../test/netns/namespace.ts';
import { LINK_LENGTH, TARGET_ADDRESS, sessionAddress } from './addresses.ts';

export interface Lab {
  target: string;
  tester: string;
  remove(): Promise<void>;
}

/** Two namespaces and the link between them, with `sessions` tester addresses. */
export async function createLab(sessions: number): Promise<Lab> {
  const target = await createNamespace('scale-target');
  const tester = await createNamespace('scale-tester');
  const remove = async () => {
    await deleteNamespace(target);
    await deleteNamespace(tester);
  };
  try {
    const link = await createVethLink({ namespace: target, ipv4: `${TARGET_ADDRESS}/${LINK_LENGTH}` }, { namespace: tester });
    const commands = Array.from({ length: sessions }, (_, index) => `addr add ${sessionAddress(index)}/${LINK_LENGTH} dev ${link.b.interface}`);
    await run('ip', ['-n', tester, '-batch', '-'], { input: `${commands.join('\n')}\n`, timeoutMs: 60_000 });
    // The target learns one neighbour entry per session; the default ceiling (gc_thresh3, 1,024) is
    // too close to a thousand sessions. Kernels without per-namespace thresholds refuse: harmless here.
    for (const namespace of [target, tester]) {
      await run('ip', ['netns', 'exec', namespace, 'sysctl', '-q', '-w',
        'net.ipv4.neigh.default.gc_thresh1=16384', 'net.ipv4.neigh.default.gc_thresh2=32768', 'net.ipv4.neigh.default.gc_thresh3=65536',
        'net.core.somaxconn=4096', 'net.ipv4.tcp_max_syn_backlog=4096']).catch(() => undefined);
    }
    return { target, tester, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
