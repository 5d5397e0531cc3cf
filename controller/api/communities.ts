/**
 * The text forms of BGP communities that a BgpPeer attaches to its VIPs: standard `asn:value`,
 * two 16-bit numbers (RFC 1997), and large `global:local1:local2`, three 32-bit numbers (RFC 8092
 * section 3, text form per RFC 8195).
 */

const STANDARD = /^([0-9]{1,5}):([0-9]{1,5})$/;
const LARGE = /^([0-9]{1,10}):([0-9]{1,10}):([0-9]{1,10})$/;

/** Why a standard community is malformed, or undefined when it is well formed. */
export function communityProblem(text: string): string | undefined {
  const match = STANDARD.exec(text);
  if (match === null || match.slice(1).some((part) => Number(part) > 0xffff)) {
    return `${JSON.stringify(text)} is not a community a:b with a and b from 0 to 65535`;
  }
  return undefined;
}

/** Why a large community is malformed, or undefined when it is well formed. */
export function largeCommunityProblem(text: string): string | undefined {
  const match = LARGE.exec(text);
  if (match === null || match.slice(1).some((part) => Number(part) > 0xffffffff)) {
    return `${JSON.stringify(text)} is not a large community a:b:c with each part from 0 to 4294967295`;
  }
  return undefined;
}
