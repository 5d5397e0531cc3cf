import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeResult, UpdateMessage, WireError } from '../wire/types.ts';
import { type FsmEvent, messageEvent } from './events.ts';
import { peerOpen } from './testing.ts';

const error = (code: number, subcode: number, action: WireError['action'] = 'session-reset'): WireError => ({
  action,
  code,
  subcode,
  reason: 'test',
  data: '',
});

test('each decoded message raises its RFC 4271 section 8.1.5 event', () => {
  const update: UpdateMessage = { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  const cases: [DecodeResult, FsmEvent][] = [
    [{ message: peerOpen() }, { type: 'BGPOpen', open: peerOpen() }],
    [{ message: { type: 'keepalive' } }, { type: 'KeepAliveMsg' }],
    [{ message: update }, { type: 'UpdateMsg', update }],
    [
      { message: { type: 'notification', code: 6, subcode: 2, data: '' } },
      { type: 'NotifMsg', notification: { type: 'notification', code: 6, subcode: 2, data: '' } },
    ],
    [
      { message: { type: 'notification', code: 2, subcode: 1, data: '0004' } },
      { type: 'NotifMsgVerErr', notification: { type: 'notification', code: 2, subcode: 1, data: '0004' } },
    ],
    [
      { message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } },
      { type: 'RouteRefreshMsg', message: { type: 'route-refresh', family: 'ipv4-unicast', subtype: 0 } },
    ],
    [{ error: error(1, 1) }, { type: 'BGPHeaderErr', error: error(1, 1) }],
    [{ error: error(2, 6) }, { type: 'BGPOpenMsgErr', error: error(2, 6) }],
    [{ error: error(3, 1) }, { type: 'UpdateMsgErr', error: error(3, 1) }],
    [{ error: error(7, 1) }, { type: 'RouteRefreshMsgErr', error: error(7, 1) }],
    [
      { message: update, error: error(3, 6, 'treat-as-withdraw') },
      { type: 'UpdateMsgErr', error: error(3, 6, 'treat-as-withdraw'), update },
    ],
  ];
  for (const [result, event] of cases) assert.deepEqual(messageEvent(result), event, event.type);
});
