/** Checks a BgpConf, the speaker's own settings. */
import { labelValueProblem } from '../label-selector.ts';
import type { BgpConf } from '../types.ts';
import { FieldChecker, itemPath, UINT32_MAX, type Validated } from './field-checker.ts';
import { checkAsn, checkGracefulRestart, checkHeader, checkIp } from './common-fields.ts';

/** OpenELB, and Porter after it, read only the BgpConf of this name and ignore any other. */
export const BGP_CONF_NAME = 'default';

/** GoBGP route family numbers (AFI << 16 | SAFI) Porter carries: IPv4 and IPv6 unicast. */
export const SUPPORTED_ROUTE_FAMILIES: Readonly<Record<number, string>> = {
  65537: 'IPv4 unicast',
  131073: 'IPv6 unicast',
};

/** A BgpConf named `default` whose fields all have OpenELB's types and sound values. */
export function validateBgpConf(obj: unknown): Validated<BgpConf> {
  const check = new FieldChecker();
  const spec = checkHeader(check, obj, 'BgpConf');
  const name = (obj as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  if (typeof name === 'string' && name !== '' && name !== BGP_CONF_NAME) {
    check.report('metadata.name', `must be ${BGP_CONF_NAME}: a BgpConf of any other name is ignored`);
  }
  if (spec !== undefined) {
    checkAsn(check, spec.as, 'spec.as', true);
    const racks = check.object(spec.asPerRack, 'spec.asPerRack');
    for (const [rack, asn] of Object.entries(racks ?? {})) {
      const field = itemPath('spec.asPerRack', rack);
      const problem = labelValueProblem(rack);
      if (problem !== undefined) check.report(field, `the key is a rack label's value: ${problem}`);
      checkAsn(check, asn, field);
    }
    checkIp(check, spec.routerId, 'spec.routerId', { family: 4 });
    check.integer(spec.listenPort, 'spec.listenPort', -1, 65535);
    check.list(spec.listenAddresses, 'spec.listenAddresses')?.forEach((address, index) => {
      checkIp(check, address, itemPath('spec.listenAddresses', index), { required: true });
    });
    check.list(spec.families, 'spec.families')?.forEach((family, index) => {
      const field = itemPath('spec.families', index);
      const value = check.integer(family, field, 0, UINT32_MAX, true);
      if (value !== undefined && SUPPORTED_ROUTE_FAMILIES[value] === undefined) {
        check.report(field, `must be 65537 (IPv4 unicast) or 131073 (IPv6 unicast), the families Porter carries, not ${value}`);
      }
    });
    check.boolean(spec.useMultiplePaths, 'spec.useMultiplePaths');
    checkGracefulRestart(check, spec.gracefulRestart, 'spec.gracefulRestart');
    check.string(spec.policy, 'spec.policy');
  }
  return check.result<BgpConf>(obj);
}
