/**
 * Sessions and attributes, with every daemon: one daemon (AS 65002) and two Porter speakers, one eBGP
 * over IPv4 transport (AS 65001) and one iBGP over IPv6 transport (AS 65002). Routes of both families
 * go both ways; each side's RIB must show the attributes the other sent: ORIGIN, AS_PATH, MED,
 * LOCAL_PREF on iBGP, communities, large communities, route targets and link bandwidth, and next
 * hops of both families, IPv4 over an IPv6 next hop (RFC 8950) where the daemon has it. A part a
 * daemon cannot do is a skipped row of its own.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonDriver, NeighborConfig } from '../daemons/config.ts';
import { linkBandwidthText } from '../daemons/rib.ts';
import { inLab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, daemonDials, ipv6NextHopOverIpv4, unsupported } from './matrix.ts';
import { asPathOf, attribute, daemonPaths, includesAll, porterRoutes } from './paths.ts';

const PORTER_AS = 65001;
const DAEMON_AS = 65002;
const BANDWIDTH = 12_500_000;

describe('sessions over IPv4 and IPv6, routes both ways with their attributes', { concurrency: true, skip: NEEDS_ROOT, timeout: 240_000 }, () => {
  for (const driver of DAEMONS) {
    test(driver.name, () => sessionScenario(driver));
  }
  // The parts of the scenario a daemon cannot take part in, as rows of the matrix.
  for (const driver of DAEMONS.filter((d) => unsupported('extended-next-hop', d))) {
    test(`${driver.name}: IPv4 routes with an IPv6 next hop (RFC 8950)`, { skip: unsupported('extended-next-hop', driver) }, () => undefined);
  }
  for (const driver of DAEMONS.filter((d) => unsupported('link-bandwidth', d))) {
    test(`${driver.name}: link bandwidth to Porter`, { skip: unsupported('link-bandwidth', driver) }, () => undefined);
  }
});

function sessionScenario(driver: DaemonDriver): Promise<void> {
  return inLab(`session-${driver.name}`, async (lab) => {
    const extendedNextHop = !unsupported('extended-next-hop', driver);
    const routerNs = await lab.namespace(driver.name);
    const ebgpNs = await lab.namespace('porter-ebgp');
    const ibgpNs = await lab.namespace('porter-ibgp');
    const v4 = await lab.link(ebgpNs, routerNs, 1);
    const v6 = await lab.link(ibgpNs, routerNs, 2);
    const passive = !daemonDials(driver);
    const neighbor = (address: string, asn: number, local: { ipv4: string; ipv6: string }, transport: string): NeighborConfig => ({
      address,
      asn,
      localAddress: transport,
      localIpv4: local.ipv4,
      localIpv6: local.ipv6,
      families: ['ipv4-unicast', 'ipv6-unicast'],
      passive,
      holdTime: 9,
      connectRetry: 1,
    });
    const daemon = await lab.daemon(driver, routerNs, {
      routerId: '192.0.2.2',
      asn: DAEMON_AS,
      neighbors: [
        neighbor(v4.a.ipv4, PORTER_AS, v4.b, v4.b.ipv4),
        { ...neighbor(v6.a.ipv6, DAEMON_AS, v6.b, v6.b.ipv6), extendedNextHop },
      ],
      routes: [
        {
          prefix: '203.0.113.64/26',
          origin: 'incomplete',
          med: 30,
          localPref: 300,
          communities: ['65002:20'],
          largeCommunities: ['65002:3:4'],
          extendedCommunities: [
            { type: 'route-target', value: '65002:9' },
            { type: 'link-bandwidth', asn: DAEMON_AS, bytesPerSecond: BANDWIDTH, transitive: true },
          ],
        },
        { prefix: '2001:db8:b::/48', med: 40, communities: ['65002:21'] },
      ],
    });
    const common = { passive: !passive, holdTime: 9, connectRetry: 1, families: ['ipv4-unicast', 'ipv6-unicast'] };
    const ebgp = await lab.porter(ebgpNs, {
      asn: PORTER_AS,
      routerId: '198.51.100.5',
      listen: passive ? [] : [{ address: v4.a.ipv4 }],
      addresses: v4.a,
      peers: [{ address: v4.b.ipv4, asn: DAEMON_AS, localAddress: v4.a.ipv4, ...common }],
      routes: [
        {
          prefix: '203.0.113.10/32',
          attributes: [
            { type: 'origin', value: 'egp' },
            { type: 'med', value: 20 },
            { type: 'communities', values: ['65001:10'] },
            { type: 'extended-communities', values: [
              { type: 'route-target', form: 'as2', value: '65001:7' },
              { type: 'link-bandwidth', transitive: true, asn: PORTER_AS, bandwidth: BANDWIDTH },
            ] },
            { type: 'large-communities', values: ['65001:1:2'] },
          ],
        },
        { prefix: '2001:db8:a::/48', attributes: [{ type: 'origin', value: 'igp' }, { type: 'med', value: 21 }, { type: 'communities', values: ['65001:11'] }] },
      ],
    }, 'porter-ebgp');
    const ibgp = await lab.porter(ibgpNs, {
      asn: DAEMON_AS,
      routerId: '198.51.100.9',
      listen: passive ? [] : [{ address: v6.a.ipv6 }],
      addresses: v6.a,
      peers: [{ address: v6.b.ipv6, asn: DAEMON_AS, localAddress: v6.a.ipv6, extendedNextHop, ...common }],
      routes: [
        { prefix: '203.0.113.20/32', attributes: [{ type: 'origin', value: 'igp' }, { type: 'med', value: 22 }, { type: 'local-pref', value: 250 }, { type: 'communities', values: ['65002:30'] }] },
        { prefix: '2001:db8:c::/48', attributes: [{ type: 'origin', value: 'igp' }, { type: 'local-pref', value: 260 }] },
        ...(extendedNextHop ? [{ prefix: '203.0.113.30/32', nextHop: v6.a.ipv6, attributes: [{ type: 'origin' as const, value: 'igp' as const }, { type: 'local-pref' as const, value: 270 }] }] : []),
      ],
    }, 'porter-ibgp');
    await ebgp.established(v4.b.ipv4);
    await ibgp.established(v6.b.ipv6);

    // Porter to the daemon, eBGP over IPv4.
    const [fromEbgp] = await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.10/32', v4.a.ipv4);
    assert.deepEqual(fromEbgp.nextHops, [v4.a.ipv4]);
    assert.deepEqual(fromEbgp.asPath, [PORTER_AS]);
    assert.equal(fromEbgp.origin, 'egp');
    assert.equal(fromEbgp.med, 20);
    includesAll(fromEbgp.communities, ['65001:10'], 'communities');
    includesAll(fromEbgp.largeCommunities, ['65001:1:2'], 'large communities');
    includesAll(fromEbgp.extendedCommunities, ['rt:65001:7', linkBandwidthText(PORTER_AS, BANDWIDTH)], 'extended communities');
    const [fromEbgp6] = await daemonPaths(daemon.rib, 'ipv6-unicast', '2001:db8:a::/48', v4.a.ipv4);
    includesAll(fromEbgp6.nextHops, [v4.a.ipv6], 'IPv6 next hop over the IPv4 session');
    assert.deepEqual(fromEbgp6.asPath, [PORTER_AS]);
    assert.equal(fromEbgp6.med, 21);
    includesAll(fromEbgp6.communities, ['65001:11'], 'communities');

    // Porter to the daemon, iBGP over IPv6.
    const [fromIbgp] = await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.20/32', v6.a.ipv6);
    assert.deepEqual(fromIbgp.nextHops, [v6.a.ipv4]);
    assert.deepEqual(fromIbgp.asPath, []);
    assert.equal(fromIbgp.localPref, 250);
    assert.equal(fromIbgp.med, 22);
    includesAll(fromIbgp.communities, ['65002:30'], 'communities');
    const [fromIbgp6] = await daemonPaths(daemon.rib, 'ipv6-unicast', '2001:db8:c::/48', v6.a.ipv6);
    includesAll(fromIbgp6.nextHops, [v6.a.ipv6], 'IPv6 next hop');
    assert.equal(fromIbgp6.localPref, 260);
    if (extendedNextHop) {
      const [overIpv6] = await daemonPaths(daemon.rib, 'ipv4-unicast', '203.0.113.30/32', v6.a.ipv6);
      includesAll(overIpv6.nextHops, [v6.a.ipv6], 'IPv4 route with an IPv6 next hop');
      assert.equal(overIpv6.localPref, 270);
    }

    // The daemon to Porter, both sessions.
    const [toEbgp] = await porterRoutes(ebgp, v4.b.ipv4, 'ipv4-unicast', '203.0.113.64/26');
    assert.deepEqual(toEbgp.nextHops, [v4.b.ipv4]);
    assert.deepEqual(asPathOf(toEbgp.attributes), [DAEMON_AS]);
    assert.equal(attribute(toEbgp.attributes, 'origin')?.value, 'incomplete');
    assert.equal(attribute(toEbgp.attributes, 'local-pref'), undefined, 'LOCAL_PREF is not sent on eBGP');
    includesAll(attribute(toEbgp.attributes, 'communities')?.values ?? [], ['65002:20'], 'communities');
    includesAll(attribute(toEbgp.attributes, 'large-communities')?.values ?? [], ['65002:3:4'], 'large communities');
    const extended = attribute(toEbgp.attributes, 'extended-communities')?.values ?? [];
    includesAll(extended.map((c) => ('value' in c ? c.value : '')), ['65002:9'], 'route targets');
    if (!unsupported('link-bandwidth', driver)) {
      assert.ok(extended.some((c) => c.type === 'link-bandwidth' && c.bandwidth === BANDWIDTH), `link bandwidth in ${JSON.stringify(extended)}`);
    }
    const [toEbgp6] = await porterRoutes(ebgp, v4.b.ipv4, 'ipv6-unicast', '2001:db8:b::/48');
    includesAll(toEbgp6.nextHops, [ipv6NextHopOverIpv4(driver, v4.b)], 'IPv6 next hop over the IPv4 session');
    assert.equal(attribute(toEbgp6.attributes, 'med')?.value, 40);
    includesAll(attribute(toEbgp6.attributes, 'communities')?.values ?? [], ['65002:21'], 'communities');

    const [toIbgp] = await porterRoutes(ibgp, v6.b.ipv6, 'ipv4-unicast', '203.0.113.64/26');
    includesAll(toIbgp.nextHops, [extendedNextHop ? v6.b.ipv6 : v6.b.ipv4], 'next hop');
    assert.deepEqual(asPathOf(toIbgp.attributes), []);
    assert.equal(attribute(toIbgp.attributes, 'local-pref')?.value, 300);
    assert.equal(attribute(toIbgp.attributes, 'med')?.value, 30);
    const [toIbgp6] = await porterRoutes(ibgp, v6.b.ipv6, 'ipv6-unicast', '2001:db8:b::/48');
    includesAll(toIbgp6.nextHops, [v6.b.ipv6], 'IPv6 next hop');
    assert.equal(attribute(toIbgp6.attributes, 'med')?.value, 40);
  });
}
