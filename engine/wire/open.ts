/**
 * OPEN, RFC 4271 section 4.2, with RFC 9072 extended optional parameters:
 *
 *      0                   1                   2                   3
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *     +-+-+-+-+-+-+-+-+
 *     |    Version    |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |     My Autonomous System      |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |           Hold Time           |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |                         BGP Identifier                        |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     | Opt Parm Len  |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |             Optional Parameters (variable)                    |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each optional parameter is Type (1), Length (1), Value. RFC 9072 section 2: when Opt Parm Len is
 * non-zero and the next octet (the first parameter's type) is 255, a 2-octet Extended Opt. Parm.
 * Length follows it and every parameter has a 2-octet Length. Capabilities travel in parameters of
 * type 2 (RFC 5492).
 */
import { decodeCapability, encodeCapability } from './capabilities.ts';
import { MAX_MESSAGE_LENGTH } from './context.ts';
import {
  badBgpIdentifier,
  malformedCapability,
  malformedOpen,
  unacceptableHoldTime,
  unsupportedOptionalParameter,
  unsupportedVersion,
} from './errors.ts';
import { formatIpv4 } from './address.ts';
import { finishMessage, HEADER_LENGTH, startMessage } from './header.ts';
import { readU16 } from './reader.ts';
import type { Capability, DecodeResult, OpenMessage } from './types.ts';
import { ByteWriter } from './writer.ts';

const CAPABILITIES_PARAMETER = 2;
const EXTENDED_LENGTH_PARAMETER = 255;
const BGP_VERSION = 4;
/** Octets from the start of the message to the first optional parameter. */
const FIXED_LENGTH = HEADER_LENGTH + 10;

/** Decodes an OPEN whose header was checked; checks run in field order (RFC 4271 section 6.2). */
export function decodeOpen(bytes: Uint8Array, start: number, end: number): DecodeResult {
  const at = start + HEADER_LENGTH;
  if (bytes[at] !== BGP_VERSION) return { error: unsupportedVersion() };
  const holdTime = readU16(bytes, at + 3);
  // RFC 4271 section 4.2: the hold time is zero or at least three seconds.
  if (holdTime === 1 || holdTime === 2) return { error: unacceptableHoldTime() };
  if (bytes[at + 5] === 0 && bytes[at + 6] === 0 && bytes[at + 7] === 0 && bytes[at + 8] === 0) {
    return { error: badBgpIdentifier() };
  }
  const optionalLength = bytes[at + 9];
  let parameterStart = start + FIXED_LENGTH;
  const extended = optionalLength !== 0 && parameterStart < end && bytes[parameterStart] === EXTENDED_LENGTH_PARAMETER;
  let lengthSize = 1;
  if (extended) {
    if (parameterStart + 3 > end) return { error: malformedOpen() };
    const extendedLength = readU16(bytes, parameterStart + 1);
    parameterStart += 3;
    lengthSize = 2;
    if (parameterStart + extendedLength !== end) return { error: malformedOpen() };
  } else if (parameterStart + optionalLength !== end) {
    return { error: malformedOpen() };
  }

  const capabilities: Capability[] = [];
  let parameters = 0;
  let eachHeldOne = true;
  for (let p = parameterStart; p < end; ) {
    if (p + 1 + lengthSize > end) return { error: malformedOpen() };
    const type = bytes[p];
    const length = lengthSize === 1 ? bytes[p + 1] : readU16(bytes, p + 1);
    const valueStart = p + 1 + lengthSize;
    const valueEnd = valueStart + length;
    if (valueEnd > end) return { error: malformedOpen() };
    if (type !== CAPABILITIES_PARAMETER) return { error: unsupportedOptionalParameter() };
    let held = 0;
    for (let c = valueStart; c < valueEnd; ) {
      if (c + 2 > valueEnd || c + 2 + bytes[c + 1] > valueEnd) return { error: malformedOpen() };
      const capability = decodeCapability(bytes[c], bytes, c + 2, c + 2 + bytes[c + 1]);
      if (capability === null) return { error: malformedCapability() };
      capabilities.push(capability);
      held++;
      c += 2 + bytes[c + 1];
    }
    parameters++;
    if (held !== 1) eachHeldOne = false;
    p = valueEnd;
  }

  const message: OpenMessage = {
    type: 'open',
    version: BGP_VERSION,
    myAs: readU16(bytes, at + 1),
    holdTime,
    bgpId: formatIpv4(bytes, at + 5),
    capabilities,
  };
  if (parameters > 1 && eachHeldOne) message.paramPerCapability = true;
  if (extended) message.extendedParameters = true;
  return { message };
}

export function encodeOpen(message: OpenMessage): Uint8Array {
  const parameters: Uint8Array[] = [];
  const groups = message.paramPerCapability === true ? message.capabilities.map((capability) => [capability]) : [message.capabilities];
  for (const group of groups) {
    if (group.length === 0) continue;
    const value = new ByteWriter();
    for (const capability of group) encodeCapability(capability, value);
    parameters.push(value.finish());
  }
  const plainLength = parameters.reduce((sum, value) => sum + 2 + value.length, 0);
  // RFC 9072 section 2: the extended form when asked for or when the parameters need it.
  const extended = message.extendedParameters === true || plainLength > 255;

  const writer = new ByteWriter(FIXED_LENGTH + plainLength + 3);
  startMessage(writer, 'open');
  writer.u8(message.version, 'version');
  writer.u16(message.myAs, 'my AS');
  writer.u16(message.holdTime, 'hold time');
  writer.ipv4(message.bgpId, 'BGP identifier');
  if (extended) {
    writer.u8(255, 'Non-Ext OP Len');
    writer.u8(EXTENDED_LENGTH_PARAMETER, 'Non-Ext OP Type');
    writer.u16(plainLength + parameters.length, 'Extended Opt. Parm. Length');
  } else {
    writer.u8(plainLength, 'Opt Parm Len');
  }
  for (const value of parameters) {
    writer.u8(CAPABILITIES_PARAMETER, 'parameter type');
    if (extended) writer.u16(value.length, 'parameter length');
    else writer.u8(value.length, 'parameter length');
    writer.bytes(value);
  }
  return finishMessage(writer, MAX_MESSAGE_LENGTH, 'OPEN');
}
