/**
 * One interop test's world: its namespaces, links, Porter speakers and daemons, all removed when the
 * test ends (processes by pid, then namespaces), and their logs attached to the error when it fails.
 *
 * Addresses: link n joins its two ends with 198.51.100.<4n+1>/30 and .<4n+2>, and 2001:db8:0:<n>::1
 * and ::2 (/64); a bridge is 192.0.2.0/24 and 2001:db8:0:ff::/64, member k at .k and ::k.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DaemonDriver, DaemonInstance, RouterConfig } from '../daemons/config.ts';
import { type LinkEnd, attachToBridge, createBridge, createVethLink } from '../netns/link.ts';
import { createNamespace, deleteNamespace } from '../netns/namespace.ts';
import { type PorterConfig, type PorterProcess, startPorter } from './porter-process.ts';

export interface Addresses {
  ipv4: string;
  ipv6: string;
}

export interface PairLink {
  a: Addresses;
  b: Addresses;
}

export class Lab {
  readonly workDir: string;
  private readonly namespaces: string[] = [];
  private readonly porters: PorterProcess[] = [];
  private readonly daemons: DaemonInstance[] = [];
  private bridgeEnd?: LinkEnd;

  constructor(label: string) {
    this.workDir = mkdtempSync(join(tmpdir(), `porter-interop-${label}-`));
  }

  async namespace(label: string): Promise<string> {
    const name = await createNamespace(label);
    this.namespaces.push(name);
    return name;
  }

  /** A veth pair between two namespaces, numbered `index` (1 to 60) in the address plan. */
  async link(a: string, b: string, index: number): Promise<PairLink> {
    const hex = index.toString(16);
    await createVethLink(
      { namespace: a, ipv4: `198.51.100.${index * 4 + 1}/30`, ipv6: `2001:db8:0:${hex}::1/64` },
      { namespace: b, ipv4: `198.51.100.${index * 4 + 2}/30`, ipv6: `2001:db8:0:${hex}::2/64` },
    );
    return {
      a: { ipv4: `198.51.100.${index * 4 + 1}`, ipv6: `2001:db8:0:${hex}::1` },
      b: { ipv4: `198.51.100.${index * 4 + 2}`, ipv6: `2001:db8:0:${hex}::2` },
    };
  }

  /** Makes the lab's bridge in `hub`, which takes member number `member` (1 to 250) on it. */
  async bridge(hub: string, member: number): Promise<Addresses> {
    const end = bridgeMember(member);
    this.bridgeEnd = await createBridge({ namespace: hub, ipv4: `${end.ipv4}/24`, ipv6: `${end.ipv6}/64` });
    return end;
  }

  /** Puts `namespace` on the lab's bridge as member `member`. */
  async onBridge(namespace: string, member: number): Promise<Addresses> {
    if (!this.bridgeEnd) throw new Error('no bridge yet');
    const end = bridgeMember(member);
    await attachToBridge(this.bridgeEnd, { namespace, ipv4: `${end.ipv4}/24`, ipv6: `${end.ipv6}/64` });
    return end;
  }

  async porter(namespace: string, config: PorterConfig, name = 'porter'): Promise<PorterProcess> {
    const porter = await startPorter(namespace, this.workDir, config, name);
    this.porters.push(porter);
    return porter;
  }

  async daemon(driver: DaemonDriver, namespace: string, config: RouterConfig, label = driver.name): Promise<DaemonInstance> {
    const dir = mkdtempSync(join(this.workDir, `${label}-`));
    const daemon = await driver.start(namespace, dir, config);
    this.daemons.push(daemon);
    return daemon;
  }

  /** Stops every process (by pid) and deletes every namespace; safe after a failure. */
  async close(): Promise<void> {
    await Promise.all([...this.porters.map((p) => p.stop()), ...this.daemons.map((d) => d.stop().catch(() => undefined))]);
    for (const name of this.namespaces) await deleteNamespace(name);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Runs `body`, then closes the lab; a failure carries the tail of every log. */
  async run(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const logs = [
        ...this.porters.map((p) => `--- ${p.name} log ---\n${p.log().slice(-3000)}`),
        ...this.daemons.map((d) => `--- ${d.name} log ---\n${d.log().slice(-2000)}`),
      ];
      (error as Error).message += `\n${logs.join('\n')}`;
      throw error;
    } finally {
      await this.close();
    }
  }
}

function bridgeMember(member: number): Addresses {
  return { ipv4: `192.0.2.${member}`, ipv6: `2001:db8:0:ff::${member.toString(16)}` };
}

/** Runs a test body in a fresh lab. */
export function inLab(label: string, body: (lab: Lab) => Promise<void>): Promise<void> {
  const lab = new Lab(label);
  return lab.run(() => body(lab));
}
