/** Checks a BgpPeer, a neighbour and the nodes that peer with it. */
import { ipFamily } from '../address-range.ts';
import { communityProblem, largeCommunityProblem } from '../communities.ts';
import { timerSeconds } from '../timer-seconds.ts';
import type { AfiSafiFamily, BgpPeer } from '../types.ts';
import { fieldPath, FieldChecker, itemPath, UINT32_MAX, type Validated } from './field-checker.ts';
import { checkAsn, checkGracefulRestart, checkHeader, checkIp } from './common-fields.ts';
import { checkLabelSelector } from './selector-fields.ts';

/** The address families a BgpPeer may list: the unicast families a load balancer announces. */
export const PEER_AFIS: readonly AfiSafiFamily['afi'][] = ['AFI_IP', 'AFI_IP6'];
export const PEER_SAFIS: readonly AfiSafiFamily['safi'][] = ['SAFI_UNICAST'];

// Linux's TCP_MD5SIG_MAXKEYLEN: the longest TCP-MD5 key the kernel takes (RFC 2385 sets none).
const MD5_KEY_MAX = 80;

function checkConf(check: FieldChecker, value: unknown): string | undefined {
  const conf = check.object(value, 'spec.conf', true);
  if (conf === undefined) return undefined;
  checkAsn(check, conf.peerAs, 'spec.conf.peerAs', true);
  const neighbor = checkIp(check, conf.neighborAddress, 'spec.conf.neighborAddress', { required: true });
  checkAsn(check, conf.localAs, 'spec.conf.localAs');
  const password = check.string(conf.authPassword, 'spec.conf.authPassword');
  if (password !== undefined && Buffer.byteLength(password) > MD5_KEY_MAX) {
    check.report('spec.conf.authPassword', `must be ${MD5_KEY_MAX} bytes at most, the longest TCP-MD5 key Linux takes`);
  }
  const ref = check.object(conf.authPasswordSecretRef, 'spec.conf.authPasswordSecretRef');
  if (ref !== undefined) {
    for (const key of ['namespace', 'name', 'key']) check.string(ref[key], `spec.conf.authPasswordSecretRef.${key}`, true);
    if (password !== undefined) check.report('spec.conf.authPasswordSecretRef', 'must not be set together with authPassword');
  }
  for (const text of ['description', 'peerGroup', 'removePrivateAs', 'neighborInterface', 'vrf']) {
    check.string(conf[text], `spec.conf.${text}`);
  }
  for (const flag of ['adminDown', 'routeFlapDamping', 'replacePeerAs']) check.boolean(conf[flag], `spec.conf.${flag}`);
  check.integer(conf.peerType, 'spec.conf.peerType', 0, UINT32_MAX);
  check.integer(conf.sendCommunity, 'spec.conf.sendCommunity', 0, UINT32_MAX);
  // How many times our AS may appear in a received AS_PATH: GoBGP keeps it in 8 bits.
  check.integer(conf.allowOwnAs, 'spec.conf.allowOwnAs', 0, 255);
  return neighbor;
}

function checkTimer(check: FieldChecker, value: unknown, field: string, hold = false): void {
  if (value === undefined) return;
  const seconds = typeof value === 'number' || typeof value === 'string' ? timerSeconds(value) : undefined;
  if (seconds === undefined) {
    check.report(field, `must be a whole number of seconds (a number or its text), not ${JSON.stringify(value)}`);
  } else if (seconds > 65535) {
    check.report(field, `must be 65535 seconds at most, not ${seconds}`);
  } else if (hold && seconds > 0 && seconds < 3) {
    // RFC 4271 section 4.2: the Hold Time is zero or at least three seconds.
    check.report(field, `must be 0 (no keepalives) or at least 3 seconds, not ${seconds}`);
  }
}

function checkTimers(check: FieldChecker, value: unknown): void {
  const timers = check.object(value, 'spec.timers');
  const config = check.object(timers?.config, 'spec.timers.config');
  if (config === undefined) return;
  checkTimer(check, config.holdTime, 'spec.timers.config.holdTime', true);
  checkTimer(check, config.keepaliveInterval, 'spec.timers.config.keepaliveInterval');
  checkTimer(check, config.connectRetry, 'spec.timers.config.connectRetry');
  checkTimer(check, config.minimumAdvertisementInterval, 'spec.timers.config.minimumAdvertisementInterval');
}

function checkTransport(check: FieldChecker, value: unknown, neighbor: string | undefined): void {
  const transport = check.object(value, 'spec.transport');
  if (transport === undefined) return;
  check.boolean(transport.passiveMode, 'spec.transport.passiveMode');
  check.boolean(transport.mtuDiscovery, 'spec.transport.mtuDiscovery');
  check.integer(transport.remotePort, 'spec.transport.remotePort', 1, 65535);
  check.integer(transport.tcpMss, 'spec.transport.tcpMss', 0, 65535);
  checkIp(check, transport.remoteAddress, 'spec.transport.remoteAddress');
  const local = checkIp(check, transport.localAddress, 'spec.transport.localAddress');
  if (local !== undefined && neighbor !== undefined && ipFamily(local) !== ipFamily(neighbor)) {
    check.report('spec.transport.localAddress', `must be of the family of neighborAddress ${neighbor}`);
  }
}

function checkAfiSafis(check: FieldChecker, value: unknown): void {
  const seen = new Map<string, number>();
  check.list(value, 'spec.afiSafis')?.forEach((item, index) => {
    const path = itemPath('spec.afiSafis', index);
    const afiSafi = check.object(item, path);
    if (afiSafi === undefined) return;
    const config = check.object(afiSafi.config, fieldPath(path, 'config'), true);
    const family = check.object(config?.family, `${path}.config.family`, config !== undefined);
    check.boolean(config?.enabled, `${path}.config.enabled`);
    if (family !== undefined) {
      const afi = check.oneOf(family.afi, `${path}.config.family.afi`, PEER_AFIS, true);
      const safi = check.oneOf(family.safi, `${path}.config.family.safi`, PEER_SAFIS, true);
      const key = `${afi}/${safi}`;
      const first = seen.get(key);
      if (afi !== undefined && safi !== undefined && first !== undefined) {
        check.report(`${path}.config.family`, `repeats spec.afiSafis[${first}]'s ${afi} ${safi}`);
      } else seen.set(key, index);
    }
    const addPaths = check.object(check.object(afiSafi.addPaths, `${path}.addPaths`)?.config, `${path}.addPaths.config`);
    check.boolean(addPaths?.receive, `${path}.addPaths.config.receive`);
    // The Send/Receive count of RFC 7911 is one octet.
    check.integer(addPaths?.sendMax, `${path}.addPaths.config.sendMax`, 0, 255);
    const gr = check.object(check.object(afiSafi.mpGracefulRestart, `${path}.mpGracefulRestart`)?.config, `${path}.mpGracefulRestart.config`);
    check.boolean(gr?.enabled, `${path}.mpGracefulRestart.config.enabled`);
  });
}

function checkCommunityList(check: FieldChecker, value: unknown, field: string, problemOf: (text: string) => string | undefined): void {
  check.stringList(value, field)?.forEach((text, index) => {
    const problem = problemOf(text);
    if (problem !== undefined) check.report(itemPath(field, index), problem);
  });
}

/** A BgpPeer whose fields all have OpenELB's types and sound values, Porter's extensions included. */
export function validateBgpPeer(obj: unknown): Validated<BgpPeer> {
  const check = new FieldChecker();
  const spec = checkHeader(check, obj, 'BgpPeer');
  if (spec !== undefined) {
    const neighbor = checkConf(check, spec.conf);
    const multihop = check.object(spec.ebgpMultihop, 'spec.ebgpMultihop');
    check.boolean(multihop?.enabled, 'spec.ebgpMultihop.enabled');
    check.integer(multihop?.multihopTtl, 'spec.ebgpMultihop.multihopTtl', 1, 255);
    checkTimers(check, spec.timers);
    checkTransport(check, spec.transport, neighbor);
    checkGracefulRestart(check, spec.gracefulRestart, 'spec.gracefulRestart');
    checkAfiSafis(check, spec.afiSafis);
    checkLabelSelector(check, spec.nodeSelector, 'spec.nodeSelector');
    checkCommunityList(check, spec.communities, 'spec.communities', communityProblem);
    checkCommunityList(check, spec.largeCommunities, 'spec.largeCommunities', largeCommunityProblem);
    check.integer(spec.localPref, 'spec.localPref', 0, UINT32_MAX);
    check.integer(spec.med, 'spec.med', 0, UINT32_MAX);
    check.boolean(spec.routeReflectorClient, 'spec.routeReflectorClient');
    check.integer(spec.maxPrefix, 'spec.maxPrefix', 1, UINT32_MAX);
  }
  return check.result<BgpPeer>(obj);
}
