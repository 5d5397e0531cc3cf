/**
 * Checks shared by the three kinds: the object's header, IP addresses, AS numbers and GoBGP's
 * graceful restart block, which BgpConf and BgpPeer both embed.
 */
import { ipFamily, type IpFamily } from '../address-range.ts';
import { API_VERSION } from '../types.ts';
import { fieldPath, UINT32_MAX, type FieldChecker } from './field-checker.ts';

/** A 4-octet AS number (RFC 6793); 0 is reserved (RFC 7607). */
export function checkAsn(check: FieldChecker, value: unknown, field: string, required = false): number | undefined {
  return check.integer(value, field, 1, UINT32_MAX, required);
}

/** An IP address of the given family, or of either; zones (`%eth0`) are refused. */
export function checkIp(
  check: FieldChecker,
  value: unknown,
  field: string,
  options: { required?: boolean; family?: IpFamily } = {},
): string | undefined {
  const text = check.string(value, field, options.required);
  if (text === undefined) return undefined;
  const family = text.includes('%') ? undefined : ipFamily(text);
  if (family === undefined || (options.family !== undefined && family !== options.family)) {
    check.report(field, `must be an ${options.family === 4 ? 'IPv4' : 'IP'} address, not ${JSON.stringify(text)}`);
    return undefined;
  }
  return text;
}

/**
 * apiVersion and kind when present (list responses may omit them), a named metadata, and a spec
 * object. Returns the spec to check further.
 */
export function checkHeader(check: FieldChecker, obj: unknown, kind: string): Record<string, unknown> | undefined {
  const root = check.object(obj, '', true);
  if (root === undefined) return undefined;
  if (root.apiVersion !== undefined && root.apiVersion !== API_VERSION) {
    check.report('apiVersion', `must be ${API_VERSION}, not ${JSON.stringify(root.apiVersion)}`);
  }
  if (root.kind !== undefined && root.kind !== kind) {
    check.report('kind', `must be ${kind}, not ${JSON.stringify(root.kind)}`);
  }
  const metadata = check.object(root.metadata, 'metadata', true);
  if (metadata !== undefined) check.string(metadata.name, 'metadata.name', true);
  return check.object(root.spec, 'spec', true);
}

/** GoBGP's graceful restart settings (RFC 4724, long-lived RFC 9494). */
export function checkGracefulRestart(check: FieldChecker, value: unknown, field: string): void {
  const gr = check.object(value, field);
  if (gr === undefined) return;
  for (const flag of ['enabled', 'helperOnly', 'notificationEnabled', 'longlivedEnabled', 'peerRestarting', 'localRestarting']) {
    check.boolean(gr[flag], fieldPath(field, flag));
  }
  // The Restart Time field of the capability is 12 bits (RFC 4724 section 3).
  check.integer(gr.restartTime, fieldPath(field, 'restartTime'), 0, 4095);
  check.integer(gr.peerRestartTime, fieldPath(field, 'peerRestartTime'), 0, 4095);
  check.integer(gr.deferralTime, fieldPath(field, 'deferralTime'), 0, 65535);
  // How long a returning peer's stale routes wait for its End-of-RIB (RFC 4724 section 4.2).
  check.integer(gr.staleRoutesTime, fieldPath(field, 'staleRoutesTime'), 1, 65535);
  check.string(gr.mode, fieldPath(field, 'mode'));
}
