/**
 * The tester's floor: a "target" that does no routing at all. It accepts the tester's sessions on
 * 198.18.0.1:179 and writes every UPDATE an injector sends, byte for byte, to every receiver. A run
 * against it costs what the tester and the link cost to move the scenario's routes; a router whose
 * time comes close to it is measured by the tester, not by its own work.
 *
 *   node --import tsx bench/scale/wire-forwarder.ts INJECTORS
 */
import { createServer, type Socket } from 'node:net';
import { tsCodec } from '../../engine/wire/index.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from './addresses.ts';
import { MessageStream, type MessageVisitor } from '../message-stream.ts';

const TYPE = { open: 1, update: 2, keepalive: 4 } as const;
const HOLD_TIME = 240;

const injectors = Number(process.argv[2]);
const injectorAddresses = new Set(Array.from({ length: injectors }, (_, index) => sessionAddress(index)));
const receivers = new Set<Socket>();
const keepalive = tsCodec.encodeMessage({ type: 'keepalive' });
const open = tsCodec.encodeMessage({
  type: 'open', version: 4, myAs: ASN, holdTime: HOLD_TIME, bgpId: TARGET_ADDRESS,
  capabilities: [{ type: 'multiprotocol', family: 'ipv4-unicast' }, { type: 'four-octet-as', asn: ASN }],
});

function session(socket: Socket): void {
  socket.setNoDelay(true);
  const injector = injectorAddresses.has(socket.remoteAddress?.replace(/^::ffff:/, '') ?? '');
  const stream = new MessageStream();
  const visitor: MessageVisitor = {
    message(type) {
      if (type === TYPE.open) socket.write(keepalive);
      if (type === TYPE.keepalive && !injector) receivers.add(socket);
    },
    updates: (run) => forward(injector, run),
  };
  socket.write(open);
  socket.on('data', (chunk: Buffer) => stream.read(chunk, visitor));
  socket.on('error', () => undefined);
  socket.on('close', () => receivers.delete(socket));
}

/** A run of whole UPDATE messages from an injector goes to every receiver as it came. */
function forward(injector: boolean, updates: Uint8Array): void {
  if (!injector) return;
  const copy = Buffer.from(updates);
  for (const receiver of receivers) receiver.write(copy);
}

setInterval(() => {
  for (const receiver of receivers) receiver.write(keepalive);
}, (HOLD_TIME / 3) * 1000);
createServer(session).listen({ host: TARGET_ADDRESS, port: 179, backlog: 4096 });
