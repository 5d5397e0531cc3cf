/**
 * The sessions captured from every daemon and the routes announced in them. Addresses are all from
 * the documentation ranges: links in 198.51.100.0/24 and 2001:db8:0:<n>::/64, routes in
 * 203.0.113.0/24, 192.0.2.0/24 and 2001:db8:1000::/36 up.
 */
import type { RouteSpec } from '../daemons/config.ts';
import type { OfferedCapabilities } from './open-message.ts';

export interface Scenario {
  name: string;
  description: string;
  daemonAsn: number;
  peerAsn: number;
  /** Address family of the session's TCP connection. */
  transport: 'ipv4' | 'ipv6';
  /** The capture peer offers the 4-octet AS capability (RFC 6793). */
  fourOctetAs: boolean;
  /** The daemon is told to send ADD-PATH identifiers (RFC 7911) and several paths per prefix. */
  addPath: boolean;
  /** The daemon is told to send IPv4 routes with its IPv6 next hop (RFC 8950). */
  extendedNextHop: boolean;
  /** The daemon is told to offer extended messages (RFC 8654). */
  extendedMessage: boolean;
  /** The daemon is told to act as a restarting speaker (RFC 4724), not only as a helper. */
  gracefulRestart: boolean;
}

const DAEMON_AS = 4_200_000_001;

export const SCENARIOS: Scenario[] = [
  {
    name: 'ebgp-as4',
    description:
      'eBGP over IPv6, both sides 4-octet AS (daemon AS 4200000001, peer AS 4200000002); IPv4 routes with an IPv6 next hop (RFC 8950) where the daemon can; announce, withdraw some, End-of-RIB, administrative shutdown',
    daemonAsn: DAEMON_AS,
    peerAsn: 4_200_000_002,
    transport: 'ipv6',
    fourOctetAs: true,
    addPath: false,
    extendedNextHop: true,
    extendedMessage: true,
    gracefulRestart: true,
  },
  {
    name: 'ebgp-as2',
    description:
      'eBGP over IPv4 with a 2-octet AS peer (AS 65002, no four-octet-as capability): the daemon (AS 4200000001) sends AS_TRANS, AS_PATH and AS4_PATH; announce, withdraw some, End-of-RIB, administrative shutdown',
    daemonAsn: DAEMON_AS,
    peerAsn: 65002,
    transport: 'ipv4',
    fourOctetAs: false,
    addPath: false,
    extendedNextHop: false,
    extendedMessage: false,
    gracefulRestart: false,
  },
  {
    name: 'ibgp-addpath',
    description:
      'iBGP over IPv4 (AS 4200000001 both sides) with LOCAL_PREF and ADD-PATH send, several paths per prefix where the daemon can; announce, withdraw some, End-of-RIB, administrative shutdown',
    daemonAsn: DAEMON_AS,
    peerAsn: DAEMON_AS,
    transport: 'ipv4',
    fourOctetAs: true,
    addPath: true,
    extendedNextHop: false,
    extendedMessage: true,
    gracefulRestart: true,
  },
];

/** What the capture peer offers: everything it can, except 4-octet AS in the 2-octet scenario. */
export function offeredCapabilities(scenario: Scenario): OfferedCapabilities {
  return {
    families: ['ipv4-unicast', 'ipv6-unicast'],
    routeRefresh: true,
    enhancedRouteRefresh: true,
    fourOctetAs: scenario.fourOctetAs,
    gracefulRestart: true,
    longLivedGracefulRestart: true,
    addPath: [
      { family: 'ipv4-unicast', mode: 'both' },
      { family: 'ipv6-unicast', mode: 'both' },
    ],
    extendedMessage: true,
    extendedNextHop: true,
  };
}

/** Prefixes withdrawn after the first burst, with all their paths. */
export const WITHDRAWN = ['192.0.2.0/27', '192.0.2.32/28', '2001:db8:5000::/56'];

export const SHUTDOWN_MESSAGE = 'Porter capture: maintenance, back in 5 minutes';

/** The announced routes: every origin, prepends, an AS_SET, MED, LOCAL_PREF and all community kinds. */
export function routesFor(scenario: Scenario): RouteSpec[] {
  const own = scenario.daemonAsn;
  const ibgp = scenario.daemonAsn === scenario.peerAsn;
  // NO_EXPORT would stop the route at an eBGP session: it goes only where it may be sent.
  const wellKnown = ibgp ? ['65535:65281', '65535:0'] : ['65535:666', '65535:0'];
  // A non-transitive extended community stays inside the AS (RFC 4360 section 2): eBGP gets the transitive form.
  const transitive = !ibgp;
  const routes: RouteSpec[] = [
    { prefix: '203.0.113.0/24', origin: 'igp', med: 10, localPref: 200, communities: ['65000:100', ...wellKnown], largeCommunities: [`${own}:1:2`] },
    { prefix: '203.0.113.128/25', origin: 'egp', asPathPrepend: [own, own], communities: ['65000:200'] },
    {
      prefix: '203.0.113.64/26',
      origin: 'incomplete',
      extendedCommunities: [
        { type: 'route-target', value: '65000:100' },
        { type: 'route-target', value: `${own}:7` },
        { type: 'route-target', value: '192.0.2.1:5' },
        { type: 'link-bandwidth', asn: 65000, bytesPerSecond: 12_500_000, transitive },
      ],
    },
    { prefix: '203.0.113.77/32', med: 0, localPref: 300, asSet: [64600, 64601] },
    { prefix: '192.0.2.0/27', med: 50 },
    { prefix: '192.0.2.32/28', communities: ['65000:32'] },
    { prefix: '2001:db8:1000::/36', origin: 'igp', med: 10, localPref: 200, communities: ['65000:100', ...wellKnown], largeCommunities: [`${own}:1:2`] },
    { prefix: '2001:db8:2000::/48', origin: 'egp', asPathPrepend: [own, own], communities: ['65000:200'] },
    {
      prefix: '2001:db8:3000::/64',
      origin: 'incomplete',
      extendedCommunities: [
        { type: 'route-target', value: '65000:100' },
        { type: 'link-bandwidth', asn: 65000, bytesPerSecond: 1_250_000_000, transitive },
      ],
    },
    { prefix: '2001:db8:4000::1/128', med: 0, localPref: 300, asSet: [64600, 64601] },
    { prefix: '2001:db8:5000::/56', med: 50 },
  ];
  if (!scenario.addPath) return routes;
  return [
    ...routes,
    { prefix: '203.0.113.0/24', pathId: 2, origin: 'igp', med: 20, localPref: 100, communities: ['65000:102'] },
    { prefix: '192.0.2.32/28', pathId: 2, med: 20, communities: ['65000:33'] },
    { prefix: '2001:db8:1000::/36', pathId: 2, origin: 'igp', med: 20, localPref: 100, communities: ['65000:102'] },
    { prefix: '2001:db8:5000::/56', pathId: 2, med: 60 },
  ];
}
