/**
 * The tester's floor: a "target" that does no routing at all. It accepts the tester's sessions on
 * 198.18.0.1:179 and writes every UPDATE an injector sends, byte for byte, to every receiver. A run
 * against it costs what the tester and the link cost to move the scenario's routes; a router whose
 * time comes close to it is measured by the tester, not by its own work. With `--add-path` the
 * receivers get each injector's routes under its own path identifier (RFC 7911), re-encoded: the
 * least a target sending every path must do.
 *
 *   node --import tsx bench/scale/wire-forwarder.ts INJECTORS [--add-path]
 */
import { createServer, type Socket } from 'node:net';
import { selectCodec } from '../../engine/wire/index.ts';
import type { Capability } from '../../engine/wire/types.ts';
import { ASN, TARGET_ADDRESS, sessionAddress } from './addresses.ts';
import { MessageStream, type MessageVisitor } from '../message-stream.ts';

const TYPE = { open: 1, update: 2, keepalive: 4 } as const;
const HOLD_TIME = 240;

const injectors = Number(process.argv[2]);
const addPath = process.argv.includes('--add-path');
const codec = selectCodec().codec;
const injectorIndex = new Map(Array.from({ length: injectors }, (_, index) => [sessionAddress(index), index]));
const receivers = new Set<Socket>();
const keepalive = codec.encodeMessage({ type: 'keepalive' });
const capabilities: Capability[] = [{ type: 'multiprotocol', family: 'ipv4-unicast' }, { type: 'four-octet-as', asn: ASN }];
if (addPath) capabilities.push({ type: 'add-path', families: [{ family: 'ipv4-unicast', mode: 'send' }] });
const open = codec.encodeMessage({ type: 'open', version: 4, myAs: ASN, holdTime: HOLD_TIME, bgpId: TARGET_ADDRESS, capabilities });

function session(socket: Socket): void {
  socket.setNoDelay(true);
  const injector = injectorIndex.get(socket.remoteAddress?.replace(/^::ffff:/, '') ?? '');
  const stream = new MessageStream();
  const visitor: MessageVisitor = {
    message(type) {
      if (type === TYPE.open) socket.write(keepalive);
      if (type === TYPE.keepalive && injector === undefined) receivers.add(socket);
    },
    updates: (run) => forward(injector, run),
  };
  socket.write(open);
  socket.on('data', (chunk: Buffer) => stream.read(chunk, visitor));
  socket.on('error', () => undefined);
  socket.on('close', () => receivers.delete(socket));
}

/** A run of whole UPDATE messages from an injector goes to every receiver as it came, or with its path identifier. */
function forward(injector: number | undefined, updates: Uint8Array): void {
  if (injector === undefined) return;
  const copy = addPath ? withPathId(updates, injector + 1) : Buffer.from(updates);
  for (const receiver of receivers) receiver.write(copy);
}

function withPathId(updates: Uint8Array, pathId: number): Uint8Array {
  const { routes, attributeSets } = codec.decodeRoutes(updates);
  routes.pathId.fill(pathId);
  return codec.encodeRoutes(routes, attributeSets, { addPath: ['ipv4-unicast'] });
}

setInterval(() => {
  for (const receiver of receivers) receiver.write(keepalive);
}, (HOLD_TIME / 3) * 1000);
createServer(session).listen({ host: TARGET_ADDRESS, port: 179, backlog: 4096 });
