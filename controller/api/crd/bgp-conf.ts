/** The BgpConf CRD: the speaker's own BGP settings. */
import { UINT32_MAX } from '../validation/field-checker.ts';
import { boolean, described, integer, list, map, object, string } from './schema.ts';
import { customResourceDefinition, type KindDefinition } from './definition.ts';
import { asn, conditions, gracefulRestart, ipAddress, ipv4Address } from './shared-schemas.ts';

export const bgpConfDefinition: KindDefinition = {
  kind: 'BgpConf',
  plural: 'bgpconfs',
  description: 'The BGP speaker settings of every node. Only the BgpConf named default is read, as in OpenELB.',
  categories: ['porter'],
  rules: [{ rule: "self.metadata.name == 'default'", message: 'only the BgpConf named default is read: name it default' }],
  spec: object(
    {
      as: asn('Our AS number.'),
      asPerRack: described(
        'Rack -> AS: nodes labelled openelb.kubesphere.io/rack=<rack> use that AS instead of as.',
        map(integer(1, UINT32_MAX)),
      ),
      routerId: ipv4Address("Our BGP identifier; default: each node's InternalIP (IPv4)."),
      listenPort: described('Port we listen on; absent or 0: 179; -1: do not listen, only connect.', integer(-1, 65535)),
      listenAddresses: described('Addresses we listen on; default: all.', list(ipAddress('An address to listen on.'), 16)),
      families: described(
        'Route families, GoBGP numbering (AFI << 16 | SAFI): 65537 IPv4 unicast, 131073 IPv6 unicast.',
        list({ type: 'integer', enum: [65537, 131073] }, 16),
      ),
      useMultiplePaths: described('Install every equal-cost path rather than one.', boolean()),
      gracefulRestart: gracefulRestart('Graceful restart for every peer.'),
      policy: described('OpenELB: a ConfigMap holding a GoBGP routing policy. Accepted, not supported.', string()),
    },
    ['as'],
  ),
  status: object({
    nodesConfStatus: described(
      'Node name -> the identifier and AS that node uses.',
      map(object({ routerId: string(), as: integer(0, UINT32_MAX) })),
    ),
    conditions: conditions(),
  }),
  columns: [
    { name: 'AS', type: 'integer', jsonPath: '.spec.as' },
    { name: 'Router-ID', type: 'string', jsonPath: '.spec.routerId' },
    { name: 'Listen-Port', type: 'integer', jsonPath: '.spec.listenPort' },
  ],
};

/** The BgpConf CustomResourceDefinition. */
export const bgpConfCrd = customResourceDefinition(bgpConfDefinition);
