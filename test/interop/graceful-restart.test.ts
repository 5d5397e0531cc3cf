/**
 * Graceful restart (RFC 4724), both ways, eBGP over IPv4:
 * - Porter restarts: its process is killed (SIGKILL, no NOTIFICATION); the daemon, as helper, keeps
 *   Porter's routes stale; Porter comes back with the Restart State bit, announces one route fewer
 *   and sends End-of-RIB; the daemon keeps the one and drops the other.
 * - The daemon restarts: killed the same way, Porter keeps its paths stale; the daemon comes back
 *   with one route fewer; Porter keeps the one and sweeps the other.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonDriver, RouteSpec, RouterConfig } from '../daemons/config.ts';
import { until } from '../netns/wait.ts';
import { type Lab, inLab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, daemonDials, unsupported } from './matrix.ts';
import { daemonHasNoPath, daemonPaths, porterRoutes } from './paths.ts';
import type { PorterConfig } from './porter-process.ts';

const PORTER_AS = 65001;
const DAEMON_AS = 65002;
const RESTART_TIME = 60;

describe('graceful restart', { concurrency: true, skip: NEEDS_ROOT, timeout: 240_000 }, () => {
  for (const driver of DAEMONS) {
    test(`${driver.name} helps Porter restart`, { skip: unsupported('gr-helper', driver) }, () => porterRestarts(driver));
    test(`Porter helps ${driver.name} restart`, { skip: unsupported('gr-restarting', driver) }, () => daemonRestarts(driver));
  }
});

async function pair(lab: Lab, driver: DaemonDriver, routes: RouteSpec[]) {
  const routerNs = await lab.namespace(driver.name);
  const porterNs = await lab.namespace('porter');
  const link = await lab.link(porterNs, routerNs, 1);
  const dials = daemonDials(driver);
  const daemonConfig = (list: RouteSpec[]): RouterConfig => ({
    routerId: '192.0.2.2',
    asn: DAEMON_AS,
    neighbors: [{
      address: link.a.ipv4,
      asn: PORTER_AS,
      localAddress: link.b.ipv4,
      localIpv4: link.b.ipv4,
      families: ['ipv4-unicast'],
      passive: !dials,
      holdTime: 9,
      connectRetry: 1,
      gracefulRestart: true,
      restartTime: RESTART_TIME,
    }],
    routes: list,
  });
  const porterConfig = (restarting: boolean, prefixes: string[]): PorterConfig => ({
    asn: PORTER_AS,
    routerId: '198.51.100.5',
    listen: dials ? [{ address: link.a.ipv4 }] : [],
    gracefulRestart: { restartTime: RESTART_TIME, restarting, stalePathTime: 60 },
    peers: [{
      address: link.b.ipv4,
      asn: DAEMON_AS,
      localAddress: link.a.ipv4,
      families: ['ipv4-unicast'],
      passive: dials,
      holdTime: 9,
      connectRetry: 1,
      gracefulRestart: true,
    }],
    routes: prefixes.map((prefix) => ({ prefix })),
  });
  return { routerNs, porterNs, link, daemonConfig, porterConfig, daemon: await lab.daemon(driver, routerNs, daemonConfig(routes)) };
}

function porterRestarts(driver: DaemonDriver): Promise<void> {
  return inLab(`gr-porter-${driver.name}`, async (lab) => {
    const { porterNs, link, porterConfig, daemon } = await pair(lab, driver, []);
    const first = await lab.porter(porterNs, porterConfig(false, ['203.0.113.1/32', '203.0.113.2/32']), 'porter-1');
    await first.established(link.b.ipv4);
    await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.2/32', link.a.ipv4);
    await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.1/32', link.a.ipv4);

    await first.kill();
    // The helper keeps both routes through the restart time; where it shows it, they are stale.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const prefix of ['203.0.113.1/32', '203.0.113.2/32']) {
      const [kept] = await daemonPaths(daemon.rib, 'ipv4-unicast', prefix, link.a.ipv4, 1, 1_000);
      if (kept.stale !== undefined) assert.equal(kept.stale, true, `${prefix} is stale`);
    }

    const second = await lab.porter(porterNs, porterConfig(true, ['203.0.113.1/32']), 'porter-2');
    await second.established(link.b.ipv4);
    await daemonHasNoPath(daemon.rib, 'ipv4-unicast', '203.0.113.2/32', link.a.ipv4, 20_000);
    const [fresh] = await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.1/32', link.a.ipv4);
    assert.notEqual(fresh.stale, true, 'the route announced again is no longer stale');
  });
}

function daemonRestarts(driver: DaemonDriver): Promise<void> {
  return inLab(`gr-daemon-${driver.name}`, async (lab) => {
    const kept = { prefix: '203.0.113.64/26', med: 5 };
    const dropped = { prefix: '203.0.113.128/26', med: 5 };
    const { routerNs, porterNs, link, daemonConfig, porterConfig, daemon } = await pair(lab, driver, [kept, dropped]);
    const porter = await lab.porter(porterNs, porterConfig(false, ['203.0.113.1/32']));
    const peer = link.b.ipv4;
    await porter.established(peer);
    await porterRoutes(porter, peer, 'ipv4-unicast', kept.prefix);
    await porterRoutes(porter, peer, 'ipv4-unicast', dropped.prefix);

    daemon.signal('SIGKILL');
    await until('the session to go down', async () => (await porter.neighbor(peer))?.state !== 'Established', 10_000);
    const stale = await porter.adjRibIn(peer, 'ipv4-unicast');
    assert.deepEqual(stale.map((r) => `${r.prefix} ${r.stale}`).sort(), [`${dropped.prefix} gr`, `${kept.prefix} gr`]);
    const loc = await porter.locRib('ipv4-unicast');
    assert.ok(loc.some((e) => e.prefix === kept.prefix && e.paths.some((p) => p.peer === peer)), 'stale paths stay in the Loc-RIB');

    await lab.daemon(driver, routerNs, daemonConfig([kept]), `${driver.name}-restarted`);
    await porter.established(peer);
    await until(`${dropped.prefix} swept`, async () => {
      const routes = await porter.adjRibIn(peer, 'ipv4-unicast');
      return routes.length === 1 && routes[0].prefix === kept.prefix && !routes[0].stale;
    }, 30_000).catch(async (error) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(await porter.adjRibIn(peer, 'ipv4-unicast'))}`);
    });
  });
}
