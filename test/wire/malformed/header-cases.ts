/**
 * Message header errors (RFC 4271 section 6.1, RFC 8654 section 3), the length rules of each type,
 * and ROUTE-REFRESH length (RFC 7313 section 5).
 */
import { MARKER, MESSAGE_TYPE, message, u16, update, v4, type Bytes } from './bytes.ts';
import { reset, type MalformedCase } from './case.ts';

const badLength = (length: number) => reset(1, 2, 'bad-message-length', u16(length));
const badType = (type: number) => reset(1, 3, 'bad-message-type', [type]);
const badRouteRefreshLength = (whole: Bytes) => reset(7, 1, 'bad-route-refresh-length', whole);

/** A message of the given type whose Length field and size are both `length`. */
function sized(type: number, length: number): Bytes {
  return message(type, new Array(length - 19).fill(0));
}

/** A well-formed UPDATE of exactly `length` octets: default routes (one zero octet each) as NLRI. */
function updateOfLength(length: number): Bytes {
  return update({ nlri: new Array(length - 23).fill(0) });
}

const keepalive = message(MESSAGE_TYPE.keepalive, []);
const routeRefresh = (body: Bytes) => message(MESSAGE_TYPE.routeRefresh, body);
const oneBitOff = [...MARKER.slice(0, 15), 0xfe];

export const headerCases: MalformedCase[] = [
  { name: 'marker-last-bit-clear', context: {}, bytes: message(4, [], { marker: oneBitOff }), error: reset(1, 1, 'bad-marker') },
  { name: 'marker-all-zero', context: {}, bytes: message(4, [], { marker: new Array(16).fill(0) }), error: reset(1, 1, 'bad-marker') },
  {
    name: 'marker-checked-before-length',
    context: {},
    bytes: message(4, [], { marker: oneBitOff, length: 18 }),
    error: reset(1, 1, 'bad-marker'),
  },
  { name: 'length-field-18', context: {}, bytes: message(4, [], { length: 18 }), error: badLength(18) },
  { name: 'length-field-0', context: {}, bytes: message(4, [], { length: 0 }), error: badLength(0) },
  {
    name: 'length-checked-before-type',
    context: {},
    bytes: message(9, [], { length: 18 }),
    error: badLength(18),
  },
  { name: 'buffer-shorter-than-header', context: {}, bytes: keepalive.slice(0, 10), error: reset(1, 2, 'bad-message-length') },
  {
    name: 'buffer-shorter-than-length-field',
    context: {},
    bytes: update({ nlri: v4('198.51.100.0/24') }).map((octet, index) => (index === 17 ? 30 : octet)),
    error: badLength(30),
  },
  {
    name: 'buffer-longer-than-length-field',
    context: {},
    bytes: [...keepalive, 0],
    error: badLength(19),
  },
  { name: 'update-over-4096', context: {}, bytes: updateOfLength(4097), error: badLength(4097) },
  {
    name: 'notification-over-4096',
    context: {},
    bytes: sized(MESSAGE_TYPE.notification, 4097),
    error: badLength(4097),
  },
  {
    name: 'open-over-4096-with-extended-message',
    context: { extendedMessage: true },
    bytes: sized(MESSAGE_TYPE.open, 4097),
    error: badLength(4097),
  },
  {
    name: 'keepalive-over-4096-with-extended-message',
    context: { extendedMessage: true },
    bytes: sized(MESSAGE_TYPE.keepalive, 4097),
    error: badLength(4097),
  },
  { name: 'open-below-29', context: {}, bytes: sized(MESSAGE_TYPE.open, 28), error: badLength(28) },
  { name: 'update-below-23', context: {}, bytes: sized(MESSAGE_TYPE.update, 22), error: badLength(22) },
  { name: 'notification-below-21', context: {}, bytes: sized(MESSAGE_TYPE.notification, 20), error: badLength(20) },
  { name: 'keepalive-of-20', context: {}, bytes: sized(MESSAGE_TYPE.keepalive, 20), error: badLength(20) },
  { name: 'type-0', context: {}, bytes: message(0, []), error: badType(0) },
  { name: 'type-6', context: {}, bytes: message(6, [0, 0, 0, 0]), error: badType(6) },
  { name: 'type-255', context: {}, bytes: message(255, []), error: badType(255) },
  { name: 'unknown-type-over-4096', context: {}, bytes: sized(9, 4097), error: badLength(4097) },
  {
    name: 'unknown-type-over-4096-with-extended-message',
    context: { extendedMessage: true },
    bytes: sized(9, 4097),
    error: badType(9),
  },
  {
    name: 'route-refresh-of-22',
    context: {},
    bytes: routeRefresh([0, 1, 0]),
    error: badRouteRefreshLength(routeRefresh([0, 1, 0])),
  },
  {
    name: 'route-refresh-of-19',
    context: {},
    bytes: routeRefresh([]),
    error: badRouteRefreshLength(routeRefresh([])),
  },
  {
    name: 'route-refresh-of-24',
    context: {},
    bytes: routeRefresh([0, 1, 1, 1, 0]),
    error: badRouteRefreshLength(routeRefresh([0, 1, 1, 1, 0])),
  },
  {
    name: 'route-refresh-subtype-0-with-trailing-octets',
    context: {},
    bytes: routeRefresh([0, 1, 0, 1, 1, 0, 0]),
    error: badRouteRefreshLength(routeRefresh([0, 1, 0, 1, 1, 0, 0])),
  },
  { name: 'route-refresh-over-4096', context: {}, bytes: sized(MESSAGE_TYPE.routeRefresh, 4097), error: badLength(4097) },
  {
    name: 'route-refresh-over-4096-with-extended-message',
    context: { extendedMessage: true },
    bytes: sized(MESSAGE_TYPE.routeRefresh, 4097),
    error: badRouteRefreshLength(sized(MESSAGE_TYPE.routeRefresh, 4097)),
  },
];
