/**
 * Sessions, members and decoding for RIB tests: a negotiated session built from the few values a
 * test varies, a member that records what it is sent, and that record read back with the codec.
 */
import type { NegotiatedSession } from '../session/types.ts';
import { tsCodec } from '../wire/index.ts';
import type { WireCodec } from '../wire/types.ts';
import type { Family, SessionContext, UpdateMessage } from '../wire/types.ts';
import type { UpdateGroupMember } from './update-group.ts';

export interface TestSessionSpec {
  peerAs?: number;
  peerId?: string;
  internal?: boolean;
  families?: Family[];
  addPathSend?: Family[];
  addPathReceive?: Family[];
  fourOctetAs?: boolean;
  extendedMessage?: boolean;
  llgrFamilies?: Family[];
}

export function testSession(spec: TestSessionSpec = {}): NegotiatedSession {
  const internal = spec.internal ?? false;
  const families = spec.families ?? ['ipv4-unicast'];
  const fourOctetAs = spec.fourOctetAs ?? true;
  const extendedMessage = spec.extendedMessage ?? false;
  const addPath = { send: spec.addPathSend ?? [], receive: spec.addPathReceive ?? [] };
  const session: NegotiatedSession = {
    peerAs: spec.peerAs ?? (internal ? 65000 : 65001),
    peerId: spec.peerId ?? '192.0.2.1',
    internal,
    holdTime: 90,
    keepaliveTime: 30,
    families,
    fourOctetAs,
    extendedMessage,
    routeRefresh: true,
    enhancedRouteRefresh: false,
    addPath,
    extendedNextHop: { send: [], receive: [] },
    gracefulNotification: false,
    decode: { fourOctetAs, addPath: addPath.receive, extendedMessage },
    encode: { fourOctetAs, addPath: addPath.send, extendedMessage },
  };
  if (spec.llgrFamilies !== undefined) {
    const families = spec.llgrFamilies.map((family) => ({ family, forwarding: true, staleTime: 3600 }));
    session.peerLongLivedGracefulRestart = { families };
  }
  return session;
}

/** A member that keeps every write. */
export class RecordingMember implements UpdateGroupMember {
  readonly writes: Uint8Array[] = [];

  send(bytes: Uint8Array): void {
    this.writes.push(bytes);
  }

  /** Every UPDATE written so far, decoded, and forgets them. */
  take(context: SessionContext = {}): UpdateMessage[] {
    const updates = this.writes.flatMap((bytes) => decodeUpdates(bytes, context));
    this.writes.length = 0;
    return updates;
  }
}

export function decodeUpdates(bytes: Uint8Array, context: SessionContext = {}): UpdateMessage[] {
  const { results, consumed } = tsCodec.decodeStream(bytes, context);
  if (consumed !== bytes.length) throw new Error(`${bytes.length - consumed} octets left undecoded`);
  return results.map(({ message, error }) => {
    if (error !== undefined || message?.type !== 'update') throw new Error(`not a clean UPDATE: ${JSON.stringify(error)}`);
    return message;
  });
}

/** The TypeScript codec, counting `encodeRoutes` calls. */
export function countingCodec(): WireCodec & { encodeCalls: number } {
  const codec = {
    ...tsCodec,
    encodeCalls: 0,
    encodeRoutes: (...args: Parameters<WireCodec['encodeRoutes']>) => {
      codec.encodeCalls += 1;
      return tsCodec.encodeRoutes(...args);
    },
  };
  return codec;
}

/**
 * Routes in UPDATEs as lines: `+ prefix[#id] next-hop` for announcements, `- prefix[#id]` for
 * withdrawals, End-of-RIB as `eor family`.
 */
export function routeLines(updates: UpdateMessage[]): string[] {
  const lines: string[] = [];
  const id = (pathId: number | undefined): string => (pathId !== undefined ? `#${pathId}` : '');
  for (const update of updates) {
    const empty = update.withdrawn.length === 0 && update.nlri.length === 0 && update.attributes.length === 0;
    if (empty) lines.push('eor ipv4-unicast');
    for (const { prefix, pathId } of update.withdrawn) lines.push(`- ${prefix}${id(pathId)}`);
    const nextHop = update.attributes.find((attribute) => attribute.type === 'next-hop');
    const nextHopText = nextHop?.type === 'next-hop' ? nextHop.value : '?';
    for (const { prefix, pathId } of update.nlri) lines.push(`+ ${prefix}${id(pathId)} ${nextHopText}`);
    for (const attribute of update.attributes) {
      if (attribute.type === 'mp-unreach' && 'withdrawn' in attribute) {
        if (attribute.withdrawn.length === 0 && update.attributes.length === 1) lines.push(`eor ${attribute.family}`);
        for (const { prefix, pathId } of attribute.withdrawn) lines.push(`- ${prefix}${id(pathId)}`);
      }
      if (attribute.type === 'mp-reach' && 'nlri' in attribute) {
        const nextHops = attribute.nextHops.join(',');
        for (const { prefix, pathId } of attribute.nlri) lines.push(`+ ${prefix}${id(pathId)} ${nextHops}`);
      }
    }
  }
  return lines;
}
