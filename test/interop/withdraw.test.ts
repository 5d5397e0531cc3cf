/**
 * Withdrawals and a silent peer, with every daemon (eBGP over IPv4, both families): a withdrawal from
 * either side removes exactly the withdrawn path; a daemon frozen with SIGSTOP sends no KEEPALIVE,
 * Porter's hold timer expires (RFC 4271 section 6.5) and exactly that peer's paths leave the Loc-RIB.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonDriver } from '../daemons/config.ts';
import { until } from '../netns/wait.ts';
import { inLab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, daemonDials } from './matrix.ts';
import { daemonHasNoPath, daemonPaths, porterRoutes } from './paths.ts';

const PORTER_AS = 65001;
const DAEMON_AS = 65002;
const HOLD_TIME = 6;

describe('withdrawals and hold timer expiry remove exactly their paths', { concurrency: true, skip: NEEDS_ROOT, timeout: 240_000 }, () => {
  for (const driver of DAEMONS) test(driver.name, () => withdrawScenario(driver));
});

function withdrawScenario(driver: DaemonDriver): Promise<void> {
  return inLab(`withdraw-${driver.name}`, async (lab) => {
    const routerNs = await lab.namespace(driver.name);
    const porterNs = await lab.namespace('porter');
    const link = await lab.link(porterNs, routerNs, 1);
    const passive = !daemonDials(driver);
    const daemon = await lab.daemon(driver, routerNs, {
      routerId: '192.0.2.2',
      asn: DAEMON_AS,
      neighbors: [{
        address: link.a.ipv4,
        asn: PORTER_AS,
        localAddress: link.b.ipv4,
        localIpv4: link.b.ipv4,
        localIpv6: link.b.ipv6,
        families: ['ipv4-unicast', 'ipv6-unicast'],
        passive,
        holdTime: HOLD_TIME,
        connectRetry: 1,
      }],
      routes: [{ prefix: '203.0.113.64/26' }, { prefix: '203.0.113.128/26' }, { prefix: '2001:db8:b::/48' }],
    });
    const porter = await lab.porter(porterNs, {
      asn: PORTER_AS,
      routerId: '198.51.100.5',
      listen: passive ? [] : [{ address: link.a.ipv4 }],
      addresses: link.a,
      peers: [{
        address: link.b.ipv4,
        asn: DAEMON_AS,
        localAddress: link.a.ipv4,
        families: ['ipv4-unicast', 'ipv6-unicast'],
        passive: !passive,
        holdTime: HOLD_TIME,
        connectRetry: 1,
      }],
      routes: [{ prefix: '203.0.113.1/32' }, { prefix: '203.0.113.2/32' }, { prefix: '2001:db8:a::/48' }],
    });
    const peer = link.b.ipv4;
    await porter.established(peer);
    await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.1/32', link.a.ipv4);
    await porterRoutes(porter, peer, 'ipv4-unicast', '203.0.113.64/26');

    // Porter withdraws one path: the daemon loses it and keeps the others.
    await porter.withdraw([{ prefix: '203.0.113.1/32' }]);
    await daemonHasNoPath(daemon.rib, 'ipv4-unicast', '203.0.113.1/32', link.a.ipv4);
    await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.2/32', link.a.ipv4);
    await daemonPaths(daemon.rib, 'ipv6-unicast', '2001:db8:a::/48', link.a.ipv4);

    // The daemon withdraws one path: Porter loses exactly it.
    await porterRoutes(porter, peer, 'ipv6-unicast', '2001:db8:b::/48');
    await daemon.withdraw(['203.0.113.64/26']);
    await until('203.0.113.64/26 withdrawn from Porter', async () => {
      return !(await porter.adjRibIn(peer, 'ipv4-unicast')).some((r) => r.prefix === '203.0.113.64/26');
    }, 15_000);
    assert.deepEqual((await porter.adjRibIn(peer, 'ipv4-unicast')).map((r) => r.prefix), ['203.0.113.128/26']);
    assert.deepEqual((await porter.adjRibIn(peer, 'ipv6-unicast')).map((r) => r.prefix), ['2001:db8:b::/48']);

    // The daemon goes silent: the hold timer ends the session and its paths go, Porter's own stay.
    daemon.signal('SIGSTOP');
    try {
      await until('the hold timer to expire', async () => (await porter.neighbor(peer))?.state !== 'Established', (HOLD_TIME + 4) * 1000);
      const status = await porter.neighbor(peer);
      assert.match(status?.lastError ?? '', /hold/i);
      const loc = await porter.locRib('ipv4-unicast');
      const peers = (prefix: string) => loc.find((e) => e.prefix === prefix)?.paths.map((p) => p.peer) ?? [];
      assert.deepEqual(peers('203.0.113.128/26'), [], 'the silent peer\'s paths are gone');
      assert.equal(peers('203.0.113.2/32').length, 1, 'Porter\'s own path stays');
      assert.deepEqual(await porter.adjRibIn(peer, 'ipv6-unicast'), []);
    } finally {
      daemon.signal('SIGCONT');
    }
  });
}
