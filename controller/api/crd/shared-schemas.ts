/**
 * Schema pieces the three kinds share. Address checks use the Kubernetes CEL IP and CIDR library
 * (`isIP`, `isCIDR`, `ip(...)`, available from Kubernetes 1.31); strings checked by CEL carry a
 * maxLength, and lists of them a maxItems, so that the API server's cost estimate of each rule
 * stays within its budget.
 */
import { UINT32_MAX } from '../validation/field-checker.ts';
import { boolean, described, integer, list, map, object, string, withRules, type Schema } from './schema.ts';

/** The longest text form of an IPv6 address with an embedded IPv4 one. */
export const IP_MAX_LENGTH = 45;

/** A 4-octet AS number (RFC 6793), 0 excluded (RFC 7607). */
export function asn(description: string): Schema {
  return described(description, integer(1, UINT32_MAX));
}

/** An IP address of either family. */
export function ipAddress(description: string): Schema {
  return described(
    description,
    withRules(string({ maxLength: IP_MAX_LENGTH }), { rule: 'isIP(self)', message: 'must be an IPv4 or IPv6 address' }),
  );
}

/** An IPv4 address (a BGP identifier, RFC 4271 section 4.2). */
export function ipv4Address(description: string): Schema {
  return described(
    description,
    withRules(string({ maxLength: 15 }), { rule: 'isIP(self) && ip(self).family() == 4', message: 'must be an IPv4 address' }),
  );
}

/** A map of label keys to label values; apimachinery checks their syntax on objects, CEL cannot cheaply. */
export function labelMap(description: string): Schema {
  return described(description, map(string({ maxLength: 63 })));
}

/** metav1.LabelSelector, as Kubernetes' own schemas give it. */
export function labelSelector(description: string): Schema {
  const requirement = object(
    {
      key: string(),
      operator: string({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
      values: list(string()),
    },
    ['key', 'operator'],
  );
  return {
    ...described(
      description,
      object({
        matchLabels: labelMap('Labels the object must have, all of them.'),
        matchExpressions: described('Requirements on labels, all of them (ANDed with matchLabels).', list(requirement)),
      }),
    ),
    'x-kubernetes-map-type': 'atomic',
  };
}

/** GoBGP's graceful restart block (RFC 4724; long-lived, RFC 9494), as OpenELB embeds it. */
export function gracefulRestart(description: string): Schema {
  return described(
    description,
    object({
      enabled: described('Announce the graceful restart capability.', boolean()),
      restartTime: described('Seconds peers keep our routes while we restart (12 bits, RFC 4724 section 3); default 120.', integer(0, 4095)),
      helperOnly: described('Help peers restart; announce a restart time of 0 for ourselves.', boolean()),
      deferralTime: described('GoBGP: seconds to wait for End-of-RIB after restarting. Accepted, unused.', integer(0, 65535)),
      notificationEnabled: described('GoBGP: graceful restart after a NOTIFICATION (RFC 8538). Accepted, unused.', boolean()),
      longlivedEnabled: described('Announce long-lived graceful restart (RFC 9494), stale time 3600 s.', boolean()),
      staleRoutesTime: described(
        "Seconds a returning peer has to send End-of-RIB before its stale routes go (RFC 4724 section 4.2); default 360.",
        integer(1, 65535),
      ),
      peerRestartTime: described('GoBGP state field; accepted, unused.', integer(0, 4095)),
      peerRestarting: described('GoBGP state field; accepted, unused.', boolean()),
      localRestarting: described('GoBGP state field; accepted, unused.', boolean()),
      mode: described('GoBGP state field; accepted, unused.', string()),
    }),
  );
}

/** metav1.Condition, the Porter extension in each kind's status. */
export function conditions(): Schema {
  const condition = object(
    {
      type: string({ maxLength: 316 }),
      status: string({ enum: ['True', 'False', 'Unknown'] }),
      reason: string({ maxLength: 1024 }),
      message: string({ maxLength: 32768 }),
      lastTransitionTime: string({ format: 'date-time' }),
      observedGeneration: integer(0),
    },
    ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
  );
  return {
    ...described('Porter extension: conditions, by type.', list(condition)),
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  };
}
