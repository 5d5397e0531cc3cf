/**
 * Route reflection (RFC 4456), iBGP in AS 65001 on one bridge:
 * - Porter reflects with ADD-PATH send (RFC 7911): three Porter speakers, its clients, announce one
 *   VIP with themselves as next hop; the daemon, a client with ADD-PATH receive, gets all three
 *   paths, next hops unchanged, each with its ORIGINATOR_ID and Porter's CLUSTER_LIST.
 * - Porter is a client of the daemon's reflector: what one Porter client announces reaches the other
 *   with ORIGINATOR_ID and the daemon's CLUSTER_ID.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonDriver } from '../daemons/config.ts';
import { inLab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, daemonDials, unsupported } from './matrix.ts';
import { attribute, daemonPaths, porterRoutes } from './paths.ts';

const AS = 65001;
const VIP = '203.0.113.100/32';
const SPEAKERS = [11, 12, 13];
const CLUSTER_ID = '192.0.2.1';

describe('route reflection', { concurrency: true, skip: NEEDS_ROOT, timeout: 240_000 }, () => {
  for (const driver of DAEMONS) {
    test(`Porter reflects three paths with ADD-PATH to ${driver.name}`, { skip: unsupported('rr-client-add-path', driver) }, () => porterReflects(driver));
    test(`${driver.name} reflects between Porter clients`, { skip: unsupported('route-reflector', driver) }, () => daemonReflects(driver));
  }
});

function porterReflects(driver: DaemonDriver): Promise<void> {
  return inLab(`rr-porter-${driver.name}`, async (lab) => {
    const reflectorNs = await lab.namespace('porter-rr');
    const reflector = await lab.bridge(reflectorNs, 1);
    const routerNs = await lab.namespace(driver.name);
    const router = await lab.onBridge(routerNs, 2);
    const speakers = await Promise.all(SPEAKERS.map(async (member) => {
      const ns = await lab.namespace(`porter${member}`);
      return { ns, member, address: await lab.onBridge(ns, member) };
    }));
    const dials = daemonDials(driver);
    const daemon = await lab.daemon(driver, routerNs, {
      routerId: router.ipv4,
      asn: AS,
      neighbors: [{ address: reflector.ipv4, asn: AS, localAddress: router.ipv4, localIpv4: router.ipv4, families: ['ipv4-unicast'], passive: !dials, addPath: 'receive', holdTime: 9 }],
      routes: [],
    });
    await lab.porter(reflectorNs, {
      asn: AS,
      routerId: reflector.ipv4,
      clusterId: CLUSTER_ID,
      listen: [{ address: reflector.ipv4 }],
      multipath: { upTo: 'igp-cost', maximumPaths: 8 },
      peers: [
        ...speakers.map((s) => ({ address: s.address.ipv4, asn: AS, passive: true, rrClient: true, holdTime: 9, families: ['ipv4-unicast'] })),
        {
          address: router.ipv4,
          asn: AS,
          localAddress: reflector.ipv4,
          passive: dials,
          rrClient: true,
          holdTime: 9,
          connectRetry: 1,
          families: ['ipv4-unicast'],
          addPath: { 'ipv4-unicast': 'send' as const },
          addPathSendMax: 8,
        },
      ],
    }, 'porter-rr');
    await Promise.all(speakers.map((s) =>
      lab.porter(s.ns, {
        asn: AS,
        routerId: s.address.ipv4,
        peers: [{ address: reflector.ipv4, asn: AS, localAddress: s.address.ipv4, holdTime: 9, connectRetry: 1, families: ['ipv4-unicast'] }],
        routes: [{ prefix: VIP, attributes: [{ type: 'origin', value: 'igp' }, { type: 'local-pref', value: 100 }] }],
      }, `porter-${s.member}`),
    ));

    const paths = await daemonPaths(daemon.rib, 'ipv4-unicast', VIP, reflector.ipv4, 3);
    assert.deepEqual(paths.flatMap((p) => p.nextHops).sort(), speakers.map((s) => s.address.ipv4).sort());
    for (const path of paths) {
      if (path.originatorId !== undefined) assert.equal(path.originatorId, path.nextHops[0], 'ORIGINATOR_ID is the client that announced it');
      if (path.clusterList !== undefined) assert.deepEqual(path.clusterList, [CLUSTER_ID]);
    }
  });
}

function daemonReflects(driver: DaemonDriver): Promise<void> {
  return inLab(`rr-daemon-${driver.name}`, async (lab) => {
    const routerNs = await lab.namespace(driver.name);
    const router = await lab.bridge(routerNs, 1);
    const clients = await Promise.all([11, 12].map(async (member) => {
      const ns = await lab.namespace(`porter${member}`);
      return { ns, member, address: await lab.onBridge(ns, member), prefix: `203.0.113.${member}/32` };
    }));
    await lab.daemon(driver, routerNs, {
      routerId: router.ipv4,
      asn: AS,
      clusterId: CLUSTER_ID,
      neighbors: clients.map((c) => ({
        address: c.address.ipv4,
        asn: AS,
        localAddress: router.ipv4,
        families: ['ipv4-unicast' as const],
        passive: true,
        rrClient: true,
        holdTime: 9,
      })),
      routes: [],
    });
    const porters = await Promise.all(clients.map((c) =>
      lab.porter(c.ns, {
        asn: AS,
        routerId: c.address.ipv4,
        peers: [{ address: router.ipv4, asn: AS, localAddress: c.address.ipv4, holdTime: 9, connectRetry: 1, families: ['ipv4-unicast'] }],
        routes: [{ prefix: c.prefix, attributes: [{ type: 'origin', value: 'igp' }, { type: 'local-pref', value: 150 }] }],
      }, `porter-${c.member}`),
    ));
    for (const [i, porter] of porters.entries()) {
      const other = clients[1 - i];
      const [route] = await porterRoutes(porter, router.ipv4, 'ipv4-unicast', other.prefix);
      assert.deepEqual(route.nextHops, [other.address.ipv4], 'the next hop is the announcing client');
      assert.equal(attribute(route.attributes, 'originator-id')?.value, other.address.ipv4);
      assert.deepEqual(attribute(route.attributes, 'cluster-list')?.values, [CLUSTER_ID]);
      assert.equal(attribute(route.attributes, 'local-pref')?.value, 150);
    }
  });
}
