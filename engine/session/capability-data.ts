/**
 * Capabilities as the octets of an OPEN's capability parameter, for the Data field of NOTIFICATION
 * 2/7 Unsupported Capability, which lists the capabilities in question "encoded in the same way as
 * they would be encoded in the OPEN message" (RFC 5492 section 5). The codec's capability table
 * does the encoding.
 */
import { encodeCapability } from '../wire/capabilities.ts';
import { toHex } from '../wire/hex.ts';
import type { Capability } from '../wire/types.ts';
import { ByteWriter } from '../wire/writer.ts';

/** Code, length and value of each capability, concatenated, as hex. */
export function capabilityData(capabilities: Capability[]): string {
  const writer = new ByteWriter();
  for (const capability of capabilities) encodeCapability(capability, writer);
  return toHex(writer.view());
}
