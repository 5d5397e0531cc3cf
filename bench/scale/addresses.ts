/**
 * The address plan of a scale run, in the benchmarking range 198.18.0.0/15 (RFC 2544): the target
 * is 198.18.0.1, and tester session i leaves from its own address, 198.19.x.y, so that no daemon
 * sees two sessions from one neighbour address (BIRD serialises protocols that share one). Both
 * ends sit on one veth pair with /15 masks, so every address is on-link and iBGP next hops resolve.
 * Injector i announces 10.0.0.0/8 host routes from i × M, so a prefix names its announcer.
 */

/** The target's address, router id and cluster id. */
export const TARGET_ADDRESS = '198.18.0.1';

/** Mask of every address on the link. */
export const LINK_LENGTH = 15;

/** All sessions, injectors and receivers, share one AS: the target is their route reflector. */
export const ASN = 65000;

/** Sessions per /24 of 198.19.0.0/16 (host numbers 1 to 250). */
const PER_OCTET = 250;

/** Largest session count the plan allows. */
export const MAX_SESSIONS = 256 * PER_OCTET;

/** The address of tester session `index` (injectors first, then receivers). */
export function sessionAddress(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SESSIONS) throw new RangeError(`session ${index} outside 0..${MAX_SESSIONS - 1}`);
  return `198.19.${Math.floor(index / PER_OCTET)}.${(index % PER_OCTET) + 1}`;
}

/** The first announced prefix, 10.0.0.0, as a 32-bit number. */
export const PREFIX_BASE = (10 << 24) >>> 0;

/** The address of the j-th /32 of injector i when each announces `perInjector`. */
export function prefixNumber(injector: number, j: number, perInjector: number): number {
  return (PREFIX_BASE + injector * perInjector + j) >>> 0;
}

/** A 32-bit number as dotted quad. */
export function dottedQuad(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/**
 * Injector i's second next hop, which its routes carry after a flap (churn): on the link, in
 * 198.18.0.0/15 beside the target, and no session's address.
 */
export function secondNextHop(injector: number): string {
  if (!Number.isInteger(injector) || injector < 0 || injector >= MAX_SESSIONS - PER_OCTET) throw new RangeError(`injector ${injector} outside the plan`);
  return `198.18.${1 + Math.floor(injector / PER_OCTET)}.${(injector % PER_OCTET) + 1}`;
}

/** Dotted quad to a 32-bit number. */
export function addressNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}
