/**
 * OPEN errors: RFC 4271 section 6.2, RFC 6286 section 2.2, RFC 5492, RFC 9072, and the capability
 * formats of docs/wire-model.md.
 */
import { capability, ipv4, MESSAGE_TYPE, message, open, parameter, u16, u32, type Bytes } from './bytes.ts';
import { reset, type MalformedCase } from './case.ts';

const unsupportedVersion = reset(2, 1, 'unsupported-version', '0004');
const badBgpIdentifier = reset(2, 3, 'bad-bgp-identifier');
const unsupportedOptionalParameter = reset(2, 4, 'unsupported-optional-parameter');
const unacceptableHoldTime = reset(2, 6, 'unacceptable-hold-time');
const malformedOpen = reset(2, 0, 'malformed-open');
const malformedCapability = reset(2, 0, 'malformed-capability');

const multiprotocol = capability(1, [0, 1, 0, 1]);
const routeRefresh = capability(2, []);
const fourOctetAs = capability(65, u32(65001));
const capabilities = [...multiprotocol, ...routeRefresh, ...fourOctetAs];
const capabilitiesParameter = parameter(2, capabilities);

/** A well-formed OPEN but for the one capability given, alone in its parameter. */
const withCapability = (bad: Bytes) => open({ parameters: [...capabilitiesParameter, ...parameter(2, bad)] });

/** RFC 9072 section 2: Optional Parameters Length 255, type 255, a 2-octet length, 2-octet parameter lengths. */
function extendedOpen(parameters: Bytes, extendedLength = parameters.length): Bytes {
  return message(MESSAGE_TYPE.open, [4, ...u16(65001), ...u16(90), ...ipv4('192.0.2.1'), 255, 255, ...u16(extendedLength), ...parameters]);
}
const extendedParameter = (type: number, value: Bytes): Bytes => [type, ...u16(value.length), ...value];

/** Each known capability with lengths its format forbids (docs/wire-errors.md, malformed-capability). */
const forbiddenLengths: [string, number, Bytes][] = [
  ['multiprotocol-of-3', 1, [0, 1, 0]],
  ['multiprotocol-of-5', 1, [0, 1, 0, 1, 0]],
  ['route-refresh-of-1', 2, [0]],
  ['extended-next-hop-of-5', 5, [0, 1, 0, 1, 0]],
  ['extended-next-hop-of-8', 5, [0, 1, 0, 1, 0, 2, 0, 1]],
  ['extended-message-of-1', 6, [0]],
  ['graceful-restart-of-0', 64, []],
  ['graceful-restart-of-1', 64, [0x40]],
  ['graceful-restart-of-4', 64, [0x40, 120, 0, 1]],
  ['four-octet-as-of-2', 65, [0xfd, 0xe9]],
  ['four-octet-as-of-5', 65, [0, 0, 0xfd, 0xe9, 0]],
  ['add-path-of-3', 69, [0, 1, 1]],
  ['add-path-of-5', 69, [0, 1, 1, 3, 0]],
  ['enhanced-route-refresh-of-1', 70, [0]],
  ['long-lived-graceful-restart-of-6', 71, [0, 1, 1, 0x80, 0, 0]],
  ['long-lived-graceful-restart-of-8', 71, [0, 1, 1, 0x80, 0, 0, 60, 0]],
];

export const openCases: MalformedCase[] = [
  { name: 'open-version-3', context: {}, bytes: open({ version: 3, parameters: capabilitiesParameter }), error: unsupportedVersion },
  { name: 'open-version-5', context: {}, bytes: open({ version: 5, parameters: capabilitiesParameter }), error: unsupportedVersion },
  { name: 'open-hold-time-1', context: {}, bytes: open({ holdTime: 1, parameters: capabilitiesParameter }), error: unacceptableHoldTime },
  { name: 'open-hold-time-2', context: {}, bytes: open({ holdTime: 2, parameters: capabilitiesParameter }), error: unacceptableHoldTime },
  { name: 'open-bgp-identifier-0', context: {}, bytes: open({ bgpId: '0.0.0.0', parameters: capabilitiesParameter }), error: badBgpIdentifier },
  {
    name: 'open-authentication-parameter',
    context: {},
    bytes: open({ parameters: [...parameter(1, [0, 0]), ...capabilitiesParameter] }),
    error: unsupportedOptionalParameter,
  },
  { name: 'open-parameter-type-3', context: {}, bytes: open({ parameters: [...capabilitiesParameter, ...parameter(3, [])] }), error: unsupportedOptionalParameter },
  {
    name: 'open-parameters-length-beyond-message',
    context: {},
    bytes: open({ parameters: capabilitiesParameter, parametersLength: capabilitiesParameter.length + 4 }),
    error: malformedOpen,
  },
  {
    name: 'open-octets-after-parameters',
    context: {},
    bytes: open({ parameters: [...capabilitiesParameter, 2, 0], parametersLength: capabilitiesParameter.length }),
    error: malformedOpen,
  },
  {
    name: 'open-parameter-overruns-parameters',
    context: {},
    bytes: open({ parameters: parameter(2, capabilities, capabilities.length + 3) }),
    error: malformedOpen,
  },
  {
    name: 'open-single-octet-after-last-parameter',
    context: {},
    bytes: open({ parameters: [...capabilitiesParameter, 2] }),
    error: malformedOpen,
  },
  {
    name: 'open-capability-overruns-parameter',
    context: {},
    bytes: open({ parameters: parameter(2, capability(1, [0, 1, 0, 1], 6)) }),
    error: malformedOpen,
  },
  {
    name: 'open-capability-header-truncated',
    context: {},
    bytes: open({ parameters: parameter(2, [...multiprotocol, 65]) }),
    error: malformedOpen,
  },
  {
    name: 'open-parameter-length-checked-before-type',
    context: {},
    bytes: open({ parameters: parameter(1, [0, 0], 5) }),
    error: malformedOpen,
  },
  {
    name: 'open-extended-parameters-length-beyond-message',
    context: {},
    bytes: extendedOpen(extendedParameter(2, capabilities), extendedParameter(2, capabilities).length + 2),
    error: malformedOpen,
  },
  {
    name: 'open-extended-parameter-overruns',
    context: {},
    bytes: extendedOpen([2, ...u16(capabilities.length + 1), ...capabilities]),
    error: malformedOpen,
  },
  {
    name: 'open-extended-parameters-with-forbidden-capability',
    context: {},
    bytes: extendedOpen(extendedParameter(2, [...capabilities, ...capability(65, [0, 1])])),
    error: malformedCapability,
  },
  ...forbiddenLengths.map(([name, code, value]) => ({
    name: `open-capability-${name}`,
    context: {},
    bytes: withCapability(capability(code, value)),
    error: malformedCapability,
  })),
  {
    name: 'open-version-checked-before-hold-time',
    context: {},
    bytes: open({ version: 3, holdTime: 1, parameters: capabilitiesParameter }),
    error: unsupportedVersion,
  },
  {
    name: 'open-hold-time-checked-before-bgp-identifier',
    context: {},
    bytes: open({ holdTime: 2, bgpId: '0.0.0.0', parameters: capabilitiesParameter }),
    error: unacceptableHoldTime,
  },
  {
    name: 'open-bgp-identifier-checked-before-parameters',
    context: {},
    bytes: open({ bgpId: '0.0.0.0', parameters: parameter(1, [0]) }),
    error: badBgpIdentifier,
  },
  {
    name: 'open-first-bad-parameter-wins-unsupported',
    context: {},
    bytes: open({ parameters: [...parameter(1, [0]), ...parameter(2, capability(65, [0]))] }),
    error: unsupportedOptionalParameter,
  },
  {
    name: 'open-first-bad-parameter-wins-capability',
    context: {},
    bytes: open({ parameters: [...parameter(2, capability(65, [0])), ...parameter(1, [0])] }),
    error: malformedCapability,
  },
];
