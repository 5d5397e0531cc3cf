/** Checks an Eip, an address pool. */
import { parseAddressRange } from '../address-range.ts';
import type { Eip, EipProtocol } from '../types.ts';
import { FieldChecker, itemPath, type Validated } from './field-checker.ts';
import { checkHeader } from './common-fields.ts';
import { checkLabels } from './selector-fields.ts';

/** The protocols OpenELB's schema allows; only bgp is carried out, the others are reported elsewhere. */
export const EIP_PROTOCOLS: readonly EipProtocol[] = ['bgp', 'layer2', 'vip'];

// Go's int is 64 bits, but a manifest's numbers pass through JSON: the safe integers are what both read alike.
const PRIORITY_LIMIT = Number.MAX_SAFE_INTEGER;

/** An Eip whose fields all have OpenELB's types and whose address parses. */
export function validateEip(obj: unknown): Validated<Eip> {
  const check = new FieldChecker();
  const spec = checkHeader(check, obj, 'Eip');
  if (spec !== undefined) {
    const address = check.string(spec.address, 'spec.address', true);
    if (address !== undefined) {
      const range = parseAddressRange(address);
      if (!range.ok) check.report('spec.address', range.error);
      else if (address.trim() !== address) check.report('spec.address', 'must not have spaces around it');
    }
    check.oneOf(spec.protocol, 'spec.protocol', EIP_PROTOCOLS);
    check.string(spec.interface, 'spec.interface');
    check.boolean(spec.disable, 'spec.disable');
    check.boolean(spec.usingKnownIPs, 'spec.usingKnownIPs');
    check.integer(spec.priority, 'spec.priority', -PRIORITY_LIMIT, PRIORITY_LIMIT);
    const namespaces = check.stringList(spec.namespaces, 'spec.namespaces');
    namespaces?.forEach((name, index) => {
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
        check.report(itemPath('spec.namespaces', index), `${JSON.stringify(name)} is not a namespace name (RFC 1123 label)`);
      }
    });
    checkLabels(check, spec.namespaceSelector, 'spec.namespaceSelector');
  }
  return check.result<Eip>(obj);
}
