/** The Eip CRD: an address pool. */
import { boolean, described, integer, list, map, object, string, withRules } from './schema.ts';
import { customResourceDefinition, type KindDefinition } from './definition.ts';
import { conditions, labelMap } from './shared-schemas.ts';

// One address, a CIDR, or `first-last` of one family. That first comes before last cannot be said
// in CEL (IP values have no order there); the controller checks it and reports the pool Invalid.
const ADDRESS_FORMAT =
  "isIP(self) || isCIDR(self) || (self.split('-').size() == 2 && isIP(self.split('-')[0]) && " +
  "isIP(self.split('-')[1]) && ip(self.split('-')[0]).family() == ip(self.split('-')[1]).family())";

/**
 * Overlapping pools cannot be refused here: a CEL rule sees one object, never the other Eips. The
 * controller finds overlaps (eipOverlaps) and reports them in status and as Events.
 */
export const eipDefinition: KindDefinition = {
  kind: 'Eip',
  plural: 'eips',
  description: 'An address pool: Services of type LoadBalancer get their external IP from it.',
  categories: ['porter', 'networking'],
  spec: object(
    {
      address: described(
        'One address (192.0.2.10), a CIDR (192.0.2.0/24) or a range first-last (192.0.2.10-192.0.2.20), IPv4 or IPv6. Immutable.',
        withRules(
          string({ maxLength: 100 }),
          { rule: 'self == oldSelf', message: 'address is immutable: create another Eip instead' },
          { rule: ADDRESS_FORMAT, message: 'must be an IP address, a CIDR, or a range first-last of one family' },
        ),
      ),
      protocol: described(
        'How the addresses are announced. Porter implements bgp; layer2 and vip are accepted and reported as not supported.',
        string({ enum: ['bgp', 'layer2', 'vip'], default: 'bgp' }),
      ),
      interface: described('layer2/vip only (OpenELB): the interface that answers ARP/NDP. Unused by Porter.', string()),
      disable: described('Allocate nothing new from this pool; addresses already given keep working.', boolean()),
      usingKnownIPs: described('OpenELB: addresses already in use on the network may be handed out. Unused by Porter.', boolean()),
      priority: described(
        "Order among the pools a Service's namespace may use: the lowest is tried first (OpenELB's order). Default 0.",
        integer(),
      ),
      namespaces: described('Namespaces whose Services may use this pool without naming it.', list(string({ maxLength: 63 }))),
      namespaceSelector: labelMap('Labels (all of them) of the namespaces whose Services may use this pool without naming it.'),
    },
    ['address'],
  ),
  status: object({
    occupied: described('Every address is in use.', boolean()),
    usage: described('Addresses in use.', integer(0)),
    poolSize: described('Addresses in the pool.', integer(0)),
    used: described('Address -> the Services using it, namespace/name, separated by ";".', map(string())),
    firstIP: string(),
    lastIP: string(),
    ready: described('The pool is valid and allocating.', boolean()),
    v4: described('An IPv4 pool.', boolean()),
    conditions: conditions(),
  }),
  columns: [
    { name: 'Address', type: 'string', jsonPath: '.spec.address' },
    { name: 'Protocol', type: 'string', jsonPath: '.spec.protocol' },
    { name: 'Usage', type: 'integer', jsonPath: '.status.usage' },
    { name: 'Total', type: 'integer', jsonPath: '.status.poolSize' },
    { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
    { name: 'Disabled', type: 'boolean', jsonPath: '.spec.disable', priority: 1 },
    { name: 'Priority', type: 'integer', jsonPath: '.spec.priority', priority: 1 },
    { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason', priority: 1 },
  ],
};

/** The Eip CustomResourceDefinition. */
export const eipCrd = customResourceDefinition(eipDefinition);
