/** The BgpPeer CRD: a BGP neighbour and the nodes that peer with it. */
import { UINT32_MAX } from '../validation/field-checker.ts';
import { boolean, described, integer, list, map, object, string, withRules, type Schema } from './schema.ts';
import { customResourceDefinition, type KindDefinition } from './definition.ts';
import { asn, conditions, gracefulRestart, ipAddress, labelSelector } from './shared-schemas.ts';

/**
 * Seconds, as a number or as its text: OpenELB's schema types timers as strings (GoBGP's protobuf
 * JSON writes uint64 as text), so OpenELB manifests say `holdTime: "90"`.
 */
function timer(description: string, hold = false): Schema {
  // RFC 4271 section 4.2: a Hold Time is zero or at least three seconds.
  const within = (n: string): string => (hold ? `(${n} == 0 || (${n} >= 3 && ${n} <= 65535))` : `(${n} >= 0 && ${n} <= 65535)`);
  const rule = `type(self) == string ? (self.matches('^[0-9]{1,5}$') && ${within('int(self)')}) : ${within('self')}`;
  return {
    ...described(description, { 'x-kubernetes-int-or-string': true }),
    'x-kubernetes-validations': [
      { rule, message: hold ? 'must be 0 or from 3 to 65535 seconds, as a number or its text' : 'must be from 0 to 65535 seconds, as a number or its text' },
    ],
  };
}

function community(pattern: string, partMax: number, maxLength: number, message: string): Schema {
  return withRules(string({ maxLength }), {
    rule: `self.matches('${pattern}') && self.split(':').all(part, int(part) <= ${partMax})`,
    message,
  });
}

const family = object(
  {
    afi: described('AFI_IP or AFI_IP6.', string({ enum: ['AFI_IP', 'AFI_IP6'] })),
    safi: described('SAFI_UNICAST.', string({ enum: ['SAFI_UNICAST'] })),
  },
  ['afi', 'safi'],
);

const afiSafi = object(
  {
    config: described(
      'The family and whether it is negotiated.',
      object({ family, enabled: described('Negotiate this family.', boolean()) }, ['family']),
    ),
    addPaths: described(
      'ADD-PATH (RFC 7911) for this family.',
      object({
        config: object({
          receive: described('Accept several paths per prefix from the peer.', boolean()),
          sendMax: described('ADD-PATH send with up to this many paths per prefix (0: no ADD-PATH send).', integer(0, 255)),
        }),
      }),
    ),
    mpGracefulRestart: described(
      'Graceful restart for this family.',
      object({ config: object({ enabled: described('Preserve this family across a restart.', boolean()) }) }),
    ),
  },
  ['config'],
);

const conf = withRules(
  object(
    {
      peerAs: asn("The peer's AS number."),
      neighborAddress: ipAddress("The peer's address."),
      localAs: asn("Our AS toward this peer: must equal the node's AS (BgpConf as or asPerRack)."),
      authPassword: described('TCP-MD5 key (RFC 2385).', string({ maxLength: 80 })),
      authPasswordSecretRef: described(
        'Porter extension: the TCP-MD5 key from a Secret instead of the manifest.',
        object({ namespace: string({ minLength: 1 }), name: string({ minLength: 1 }), key: string({ minLength: 1 }) }, [
          'namespace',
          'name',
          'key',
        ]),
      ),
      description: described('Free text.', string()),
      adminDown: described('Keep the session down.', boolean()),
      peerGroup: described('GoBGP field; accepted, ignored.', string()),
      peerType: described('GoBGP field; accepted, ignored.', integer(0, UINT32_MAX)),
      removePrivateAs: described('GoBGP field; accepted, ignored.', string()),
      routeFlapDamping: described('GoBGP field; accepted, ignored.', boolean()),
      sendCommunity: described('GoBGP field; accepted, ignored.', integer(0, UINT32_MAX)),
      neighborInterface: described('GoBGP field (unnumbered BGP); accepted, ignored.', string()),
      vrf: described('GoBGP field; accepted, ignored.', string()),
      allowOwnAs: described('GoBGP field; accepted, ignored.', integer(0, 255)),
      replacePeerAs: described('GoBGP field; accepted, ignored.', boolean()),
    },
    ['peerAs', 'neighborAddress'],
  ),
  { rule: '!(has(self.authPassword) && has(self.authPasswordSecretRef))', message: 'set authPassword or authPasswordSecretRef, not both' },
);

export const bgpPeerDefinition: KindDefinition = {
  kind: 'BgpPeer',
  plural: 'bgppeers',
  description: 'A BGP neighbour; the nodes its nodeSelector picks (all nodes without one) peer with it.',
  categories: ['porter'],
  spec: object(
    {
      conf: described('The session.', conf),
      ebgpMultihop: described(
        'eBGP with a peer more than one hop away.',
        object({ enabled: boolean(), multihopTtl: described('The TTL of our packets.', integer(1, 255)) }),
      ),
      timers: described(
        'Session timers, seconds.',
        object({
          config: object({
            connectRetry: timer('Seconds between connection attempts, the base of their backoff.'),
            holdTime: timer('Hold time we offer in our OPEN (0: no keepalives).', true),
            keepaliveInterval: timer('Accepted, unused: the keepalive interval is a third of the negotiated hold time.'),
            minimumAdvertisementInterval: timer('Accepted, unused.'),
          }),
        }),
      ),
      transport: described(
        'The TCP connection.',
        object({
          passiveMode: described('Never connect; wait for the peer.', boolean()),
          remotePort: described("The peer's port; default 179.", integer(1, 65535)),
          localAddress: ipAddress('Porter extension: the address our connections leave from.'),
          mtuDiscovery: described('GoBGP field; accepted, ignored.', boolean()),
          remoteAddress: ipAddress('GoBGP field; accepted, ignored.'),
          tcpMss: described('GoBGP field; accepted, ignored.', integer(0, 65535)),
        }),
      ),
      gracefulRestart: gracefulRestart('Graceful restart with this peer.'),
      afiSafis: withRules(
        described('The families negotiated; default: those of BgpConf (IPv4 unicast).', list(afiSafi, 2)),
        { rule: 'self.all(a, self.exists_one(b, b.config.family == a.config.family))', message: 'lists a family twice' },
      ),
      nodeSelector: labelSelector('The nodes that peer; all nodes when absent.'),
      communities: described(
        'Porter extension: standard communities (RFC 1997) on every VIP sent to this peer.',
        list(community('^[0-9]{1,5}:[0-9]{1,5}$', 65535, 11, 'must be a:b with a and b from 0 to 65535'), 32),
      ),
      largeCommunities: described(
        'Porter extension: large communities (RFC 8092) on every VIP sent to this peer.',
        list(
          community('^[0-9]{1,10}:[0-9]{1,10}:[0-9]{1,10}$', UINT32_MAX, 32, 'must be a:b:c with each part from 0 to 4294967295'),
          32,
        ),
      ),
      localPref: described('Porter extension: LOCAL_PREF on iBGP sessions.', integer(0, UINT32_MAX)),
      med: described('Porter extension: MULTI_EXIT_DISC.', integer(0, UINT32_MAX)),
      routeReflectorClient: described('Porter extension: the peer is our route reflector client (RFC 4456).', boolean()),
      maxPrefix: described('Porter extension: close the session (Cease/1, RFC 4486) when the peer sends more prefixes.', integer(1, UINT32_MAX)),
    },
    ['conf'],
  ),
  status: object({
    nodesPeerStatus: described('Node name -> that node\'s session.', map(nodePeerStatus())),
    conditions: conditions(),
  }),
  columns: [
    { name: 'Peer-AS', type: 'integer', jsonPath: '.spec.conf.peerAs' },
    { name: 'Neighbor', type: 'string', jsonPath: '.spec.conf.neighborAddress' },
    { name: 'Remote-Port', type: 'integer', jsonPath: '.spec.transport.remotePort', priority: 1 },
    { name: 'Passive', type: 'boolean', jsonPath: '.spec.transport.passiveMode', priority: 1 },
    { name: 'Admin-Down', type: 'boolean', jsonPath: '.spec.conf.adminDown', priority: 1 },
  ],
};

function nodePeerStatus(): Schema {
  const counters = object(
    Object.fromEntries(
      ['notification', 'update', 'open', 'keepalive', 'refresh', 'discarded', 'total', 'withdrawUpdate', 'withdrawPrefix'].map((name) => [
        name,
        string(),
      ]),
    ),
  );
  return object({
    peerState: object({
      sessionState: string(),
      neighborAddress: string(),
      peerAs: integer(0, UINT32_MAX),
      adminDown: boolean(),
      adminState: string(),
      localAs: integer(0, UINT32_MAX),
      routerId: string(),
      description: string(),
      messages: object({ received: counters, sent: counters }),
      flops: integer(0),
    }),
    timersState: object(
      Object.fromEntries(
        ['connectRetry', 'holdTime', 'keepaliveInterval', 'minimumAdvertisementInterval', 'negotiatedHoldTime', 'uptime', 'downtime'].map(
          (name) => [name, string()],
        ),
      ),
    ),
    prefixesReceived: integer(0),
    prefixesAdvertised: integer(0),
    lastError: string(),
  });
}

/** The BgpPeer CustomResourceDefinition. */
export const bgpPeerCrd = customResourceDefinition(bgpPeerDefinition);
