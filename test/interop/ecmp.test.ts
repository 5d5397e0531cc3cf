/**
 * ECMP: three Porter speakers, each in its own namespace on one bridge, announce the same VIP with
 * themselves as next hop; a daemon configured for multipath installs the VIP with all three next
 * hops (BIRD: the merged route in its namespace's FIB; FRR without zebra: the best path and the
 * paths its BGP table flags multipath). One speaker withdraws and the set shrinks to two.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonDriver, DaemonInstance } from '../daemons/config.ts';
import { until } from '../netns/wait.ts';
import { inLab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, unsupported } from './matrix.ts';
import type { PorterProcess } from './porter-process.ts';

const PORTER_AS = 65001;
const DAEMON_AS = 65002;
const VIP = '203.0.113.100/32';
const VIP6 = '2001:db8:100::1/128';
const SPEAKERS = [11, 12, 13];

describe('ECMP: three speakers announce one VIP', { concurrency: true, skip: NEEDS_ROOT, timeout: 240_000 }, () => {
  for (const driver of DAEMONS) test(driver.name, { skip: unsupported('ecmp', driver) }, () => ecmpScenario(driver));
});

function ecmpScenario(driver: DaemonDriver): Promise<void> {
  return inLab(`ecmp-${driver.name}`, async (lab) => {
    const routerNs = await lab.namespace(driver.name);
    const router = await lab.bridge(routerNs, 1);
    const speakers = await Promise.all(SPEAKERS.map(async (member) => ({ ns: await lab.namespace(`porter${member}`), member })));
    const addresses = await Promise.all(speakers.map(({ ns, member }) => lab.onBridge(ns, member)));
    const daemon = await lab.daemon(driver, routerNs, {
      routerId: router.ipv4,
      asn: DAEMON_AS,
      multipath: 8,
      neighbors: addresses.map((a) => ({
        address: a.ipv4,
        asn: PORTER_AS,
        localAddress: router.ipv4,
        localIpv4: router.ipv4,
        localIpv6: router.ipv6,
        families: ['ipv4-unicast', 'ipv6-unicast'],
        passive: true,
        holdTime: 9,
      })),
      routes: [],
    });
    const porters: PorterProcess[] = await Promise.all(speakers.map(({ ns, member }, i) =>
      lab.porter(ns, {
        asn: PORTER_AS,
        routerId: addresses[i].ipv4,
        addresses: addresses[i],
        peers: [{ address: router.ipv4, asn: DAEMON_AS, localAddress: addresses[i].ipv4, families: ['ipv4-unicast', 'ipv6-unicast'], holdTime: 9, connectRetry: 1 }],
        routes: [{ prefix: VIP, attributes: [{ type: 'origin', value: 'igp' }] }, { prefix: VIP6, attributes: [{ type: 'origin', value: 'igp' }] }],
      }, `porter-${member}`),
    ));
    await Promise.all(porters.map((p) => p.established(router.ipv4)));

    await installed(daemon, VIP, addresses.map((a) => a.ipv4));
    await installed(daemon, VIP6, addresses.map((a) => a.ipv6));
    await porters[0].withdraw([{ prefix: VIP }]);
    await installed(daemon, VIP, addresses.slice(1).map((a) => a.ipv4));
  });
}

/** Waits until the daemon's multipath set for `prefix` is exactly `nextHops`. */
async function installed(daemon: DaemonInstance, prefix: string, nextHops: string[]): Promise<void> {
  assert.ok(daemon.multipathNextHops, `${daemon.name} shows no multipath set`);
  const want = [...nextHops].sort();
  let seen: string[] = [];
  await until(`${prefix} over ${want.join(', ')}`, async () => {
    seen = [...(await daemon.multipathNextHops!(prefix))].sort();
    return JSON.stringify(seen) === JSON.stringify(want);
  }, 20_000).catch((error) => {
    throw new Error(`${(error as Error).message}; ${daemon.name} has ${JSON.stringify(seen)}`);
  });
}
