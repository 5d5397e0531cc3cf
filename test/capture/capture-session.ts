/**
 * One capture: a daemon in its own namespace, a veth pair to Porter's namespace, the capture peer
 * there, and the script every scenario follows: session up, first burst of routes (until End-of-RIB
 * for every family, or a quiet spell for daemons that send none), withdraw some prefixes, then an
 * administrative shutdown. Writes `<daemon>-<scenario>.bin` and `.json` to the output directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DaemonDriver, DaemonInstance, RouterConfig } from '../daemons/config.ts';
import { createVethLink } from '../netns/link.ts';
import { createNamespace, deleteNamespace } from '../netns/namespace.ts';
import type { PeerEvent } from './capture-peer.ts';
import { DIALING } from './drivers.ts';
import { type PeerHandle, startPeer } from './peer-process.ts';
import { SHUTDOWN_MESSAGE, type Scenario, WITHDRAWN, offeredCapabilities, routesFor } from './scenarios.ts';

/** Quiet spell that ends a burst of UPDATEs from a daemon that sends no End-of-RIB. */
const QUIET_MS = 1_500;
const SESSION_TIMEOUT_MS = 45_000;

export interface CaptureRecord {
  daemon: string;
  version: string;
  scenario: string;
  description: string;
  context: { fourOctetAs: boolean; addPath: string[]; extendedMessage: boolean };
}

export interface CaptureOutcome {
  record: CaptureRecord;
  binFile: string;
  bytes: number;
  /** How the daemon ended the session. */
  end: Extract<PeerEvent, { event: 'end' }>;
}

/**
 * Captures one scenario. `porterNamespace` holds the capture peer; `linkIndex` (1 to 60) picks the
 * link's subnets, so sessions running at once need distinct indexes.
 */
export async function captureSession(
  driver: DaemonDriver,
  scenario: Scenario,
  porterNamespace: string,
  linkIndex: number,
  outDir: string,
): Promise<CaptureOutcome> {
  const namespace = await createNamespace(driver.name);
  const workDir = mkdtempSync(join(tmpdir(), `porter-${driver.name}-`));
  let daemon: DaemonInstance | undefined;
  let peer: PeerHandle | undefined;
  try {
    // Fixed MAC addresses give fixed link-local next hops, so a capture run twice gives the same bytes.
    const hex = linkIndex.toString(16);
    const mac = `02:00:00:00:${hex.padStart(2, '0')}`;
    const link = await createVethLink(
      { namespace: porterNamespace, ipv4: `198.51.100.${linkIndex * 4 + 1}/30`, ipv6: `2001:db8:0:${hex}::1/64`, mac: `${mac}:01` },
      { namespace, ipv4: `198.51.100.${linkIndex * 4 + 2}/30`, ipv6: `2001:db8:0:${hex}::2/64`, mac: `${mac}:02` },
    );
    const dials = DIALING.has(driver.name);
    const ipv6 = scenario.transport === 'ipv6';
    const porterAddress = ipv6 ? link.a.ipv6! : link.a.ipv4!;
    const daemonAddress = ipv6 ? link.b.ipv6! : link.b.ipv4!;
    const config: RouterConfig = {
      routerId: `192.0.2.${200 + (linkIndex % 50)}`,
      asn: scenario.daemonAsn,
      neighbors: [
        {
          address: porterAddress,
          asn: scenario.peerAsn,
          localAddress: daemonAddress,
          localIpv4: link.b.ipv4!,
          localIpv6: link.b.ipv6!,
          families: ['ipv4-unicast', 'ipv6-unicast'],
          passive: !dials,
          ...(scenario.addPath ? { addPath: 'send' as const } : {}),
          extendedNextHop: scenario.extendedNextHop,
          extendedMessage: scenario.extendedMessage,
          gracefulRestart: scenario.gracefulRestart,
        },
      ],
      routes: routesFor(scenario),
    };
    const binFile = join(outDir, `${driver.name}-${scenario.name}.bin`);
    const startPeerHere = () =>
      startPeer(porterNamespace, {
        mode: dials ? 'listen' : 'connect',
        localAddress: porterAddress,
        remoteAddress: daemonAddress,
        asn: scenario.peerAsn,
        bgpId: '192.0.2.254',
        holdTime: 90,
        capabilities: offeredCapabilities(scenario),
        outputFile: binFile,
        timeoutMs: SESSION_TIMEOUT_MS,
      });
    // A daemon that dials finds the peer listening already; one that waits is dialled once it is ready.
    if (dials) peer = startPeerHere();
    daemon = await driver.start(namespace, workDir, config);
    peer ??= startPeerHere();
    const session = peer;
    await session.waitFor('the daemon OPEN', (events) => events.some((e) => e.event === 'open'), 20_000);
    const open = session.events.find((e) => e.event === 'open') as Extract<PeerEvent, { event: 'open' }>;
    await session.waitFor(
      'the first burst of UPDATEs',
      (events) => endOfRibFor(events, ['ipv4-unicast', 'ipv6-unicast']) || quietSinceLastUpdate(session),
      20_000,
    );
    const before = session.updateCount();
    await daemon.withdraw(WITHDRAWN);
    await session.waitForQuiet(before, QUIET_MS, 15_000);
    await daemon.shutdown(porterAddress, SHUTDOWN_MESSAGE);
    const end = await Promise.race([session.ended, timeout(10_000)]);
    if (!end) {
      await session.process.stop();
      throw new Error(`${driver.name} did not end the session after the shutdown command`);
    }
    const record: CaptureRecord = {
      daemon: driver.name,
      version: daemon.version,
      scenario: scenario.name,
      description: scenario.description,
      context: open.context,
    };
    writeFileSync(join(outDir, `${driver.name}-${scenario.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    return { record, binFile, bytes: end.bytes, end };
  } catch (error) {
    // A daemon that did not start has put its log in the error already.
    const log = daemon ? `\n--- daemon log ---\n${daemon.log().slice(-4000)}` : '';
    throw new Error(`${driver.name} ${scenario.name}: ${(error as Error).message}${log}`);
  } finally {
    await peer?.process.stop(1_000);
    await daemon?.stop();
    await deleteNamespace(namespace);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function endOfRibFor(events: PeerEvent[], families: string[]): boolean {
  const seen = new Set(events.flatMap((e) => (e.event === 'message' && e.endOfRib ? [e.endOfRib] : [])));
  return families.every((f) => seen.has(f));
}

function quietSinceLastUpdate(peer: PeerHandle): boolean {
  return peer.updateCount() > 0 && Date.now() - peer.lastUpdateAt() >= QUIET_MS;
}

function timeout(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/**
 * Captures every scenario from one daemon, one after another. `slot` (0 to 14) keeps the links of
 * daemons captured at the same time apart.
 */
export async function captureScenarios(
  driver: DaemonDriver,
  scenarios: Scenario[],
  porterNamespace: string,
  slot: number,
  outDir: string,
): Promise<CaptureOutcome[]> {
  const outcomes: CaptureOutcome[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    outcomes.push(await captureSession(driver, scenario, porterNamespace, slot * scenarios.length + index + 1, outDir));
  }
  return outcomes;
}
