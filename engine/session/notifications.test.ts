import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  administrativeShutdown,
  cease,
  collisionResolution,
  fromWireError,
  fsmError,
  holdTimerExpired,
  maximumPrefixesReached,
} from './notifications.ts';

test('hold timer expired is 4/0 (RFC 4271 section 6.5)', () => {
  assert.deepEqual(holdTimerExpired(), { type: 'notification', code: 4, subcode: 0, data: '' });
});

test('FSM errors name the state of an unexpected message (RFC 6608 section 3)', () => {
  const cases: [Parameters<typeof fsmError>, number][] = [
    [['OpenSent', true], 1],
    [['OpenConfirm', true], 2],
    [['Established', true], 3],
    [['Established', false], 0],
    [['Connect', true], 0],
  ];
  for (const [args, subcode] of cases) assert.equal(fsmError(...args).subcode, subcode, args.join(' '));
  assert.equal(fsmError('OpenSent', true).code, 5);
});

test('administrative shutdown is Cease/2 with the RFC 9003 message', () => {
  assert.deepEqual(administrativeShutdown('maintenance'), {
    type: 'notification',
    code: 6,
    subcode: 2,
    data: '',
    shutdownMessage: 'maintenance',
  });
  assert.deepEqual(administrativeShutdown(), { type: 'notification', code: 6, subcode: 2, data: '' });
  assert.deepEqual(administrativeShutdown(''), { type: 'notification', code: 6, subcode: 2, data: '' });
});

test('a shutdown message is cut to 255 octets without splitting a character (RFC 9003 section 2)', () => {
  const long = 'é'.repeat(200);
  const sent = administrativeShutdown(long).shutdownMessage ?? '';
  assert.equal(new TextEncoder().encode(sent).length, 254);
  assert.equal(sent, 'é'.repeat(127));
  assert.equal(administrativeShutdown('x'.repeat(300)).shutdownMessage, 'x'.repeat(255));
});

test('Cease subcodes carry their data (RFC 4486 section 4)', () => {
  assert.deepEqual(cease({ subcode: 1, data: '00010100000064' }), {
    type: 'notification',
    code: 6,
    subcode: 1,
    data: '00010100000064',
  });
  assert.deepEqual(collisionResolution(), { type: 'notification', code: 6, subcode: 7, data: '' });
});

test('a decode error gives its own NOTIFICATION', () => {
  const error = {
    action: 'session-reset',
    code: 3,
    subcode: 1,
    reason: 'malformed-attribute-list',
    data: 'ab',
  } as const;
  assert.deepEqual(fromWireError(error), { type: 'notification', code: 3, subcode: 1, data: 'ab' });
});

test('too many prefixes: Cease/1 naming the family and the limit (RFC 4486 section 4)', () => {
  assert.deepEqual(maximumPrefixesReached('ipv4-unicast', 100), { subcode: 1, data: '00010100000064' });
  assert.deepEqual(maximumPrefixesReached('ipv6-unicast', 1000000), { subcode: 1, data: '000201000f4240' });
  assert.deepEqual(cease(maximumPrefixesReached('ipv4-unicast', 100)), {
    type: 'notification',
    code: 6,
    subcode: 1,
    data: '00010100000064',
  });
});
