/**
 * What each control operation does to the speaker. Every argument is checked here, so that a bad
 * request answers with an error naming what is wrong and changes nothing.
 */
import type { Speaker } from '../speaker.ts';
import { SPEAKER_FAMILIES, type SpeakerPeerConfig } from '../speaker/config.ts';
import { explainFlow } from '../forwarding/explain-flow.ts';
import { forwardingView } from '../forwarding/forwarding-view.ts';
import { POLICIES, type PolicyName } from '../ecmp/index.ts';
import { RequestError, type Request } from './protocol.ts';

export interface OperationContext {
  speaker: Speaker;
  /** Stops the process once the response is written. */
  shutdown: () => void;
}

type Operation = (request: Request, context: OperationContext) => unknown;

function text(request: Request, key: string): string {
  const value = request[key];
  if (typeof value !== 'string') throw new RequestError(`"${key}" is required, a string`);
  return value;
}

function family(request: Request): string {
  const value = request.family ?? 'ipv4-unicast';
  if (!(SPEAKER_FAMILIES as readonly unknown[]).includes(value)) {
    throw new RequestError(`unknown family ${JSON.stringify(value)} (known: ${SPEAKER_FAMILIES.join(', ')})`);
  }
  return value as string;
}

function list(request: Request, key: string): unknown[] {
  const value = request[key];
  if (!Array.isArray(value)) throw new RequestError(`"${key}" is required, a list`);
  return value;
}

function peer(request: Request): SpeakerPeerConfig {
  const value = request.peer;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError('"peer" is required, an object');
  return value as SpeakerPeerConfig;
}

function withdrawals(request: Request): { prefix: string; pathId?: number }[] {
  return list(request, 'routes').map((route, index) => {
    const { prefix, pathId } = (route ?? {}) as { prefix?: unknown; pathId?: unknown };
    if (typeof prefix !== 'string') throw new RequestError(`routes[${index}].prefix is required, a string`);
    if (pathId !== undefined && (typeof pathId !== 'number' || !Number.isInteger(pathId) || pathId < 0)) {
      throw new RequestError(`routes[${index}].pathId is not a path identifier`);
    }
    return pathId === undefined ? { prefix } : { prefix, pathId };
  });
}

function integer(request: Request, key: string, low: number, high: number, fallback?: number): number {
  const value = request[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new RequestError(`"${key}" is required, an integer from ${low} to ${high}`);
  }
  return value;
}

function policy(request: Request): PolicyName {
  const value = request.policy ?? 'maglev';
  if (typeof value !== 'string' || !Object.hasOwn(POLICIES, value)) {
    throw new RequestError(`unknown policy ${JSON.stringify(value)} (known: ${Object.keys(POLICIES).join(', ')})`);
  }
  return value as PolicyName;
}

const OPERATIONS: Record<string, Operation> = {
  neighbors: (_, { speaker }) => speaker.neighbors(),
  announce: (request, { speaker }) => {
    speaker.announce(list(request, 'routes') as never);
    return { announced: (request.routes as unknown[]).length };
  },
  withdraw: (request, { speaker }) => {
    const routes = withdrawals(request);
    speaker.withdraw(routes);
    return { withdrawn: routes.length };
  },
  rib: (request, { speaker }) => {
    const table = request.table ?? 'loc';
    const chosen = family(request);
    if (table === 'loc') return speaker.locRib(chosen);
    if (table === 'in') return speaker.adjRibIn(text(request, 'peer'), chosen);
    if (table === 'out') return speaker.adjRibOut(text(request, 'peer'), chosen);
    throw new RequestError(`table ${JSON.stringify(table)} is not loc, in or out`);
  },
  forwarding: (request, { speaker }) => forwardingView(speaker.locRib(family(request))),
  explain: (request, { speaker }) => {
    const flow = {
      src: text(request, 'src'),
      dst: text(request, 'dst'),
      proto: integer(request, 'proto', 0, 255, 6),
      sport: integer(request, 'sport', 0, 0xffff, 0),
      dport: integer(request, 'dport', 0, 0xffff, 0),
    };
    const fields = request.fields ?? 'five-tuple';
    if (fields !== 'five-tuple' && fields !== 'l3') throw new RequestError('"fields" is five-tuple or l3');
    const view = forwardingView(speaker.locRib(flow.dst.includes(':') ? 'ipv6-unicast' : 'ipv4-unicast'));
    const explained = explainFlow(view, flow, { policy: policy(request), fields, seed: integer(request, 'seed', 0, 0xffffffff, 0) });
    if (!explained.ok) throw new RequestError(explained.error);
    return explained.value;
  },
  'peer-add': (request, { speaker }) => {
    speaker.addPeer(peer(request));
    return speaker.neighbor(peer(request).address);
  },
  'peer-update': (request, { speaker }) => speaker.updatePeer(peer(request)),
  'peer-remove': async (request, { speaker }) => {
    await speaker.removePeer(text(request, 'address'));
    return null;
  },
  'peer-disable': async (request, { speaker }) => {
    const message = request.message;
    if (message !== undefined && typeof message !== 'string') throw new RequestError('"message" is a string');
    await speaker.disablePeer(text(request, 'address'), message);
    return null;
  },
  'peer-enable': (request, { speaker }) => {
    speaker.enablePeer(text(request, 'address'));
    return null;
  },
  'route-refresh': (request, { speaker }) => {
    speaker.routeRefresh(text(request, 'address'), family(request));
    return null;
  },
  shutdown: (_, { shutdown }) => {
    shutdown();
    return null;
  },
};

/** Carries out one request; throws (RequestError or the speaker's own) when it cannot. */
export async function perform(request: Request, context: OperationContext): Promise<unknown> {
  const operation = Object.hasOwn(OPERATIONS, request.op) ? OPERATIONS[request.op] : undefined;
  if (operation === undefined) {
    throw new RequestError(`unknown op ${JSON.stringify(request.op)} (known: ${Object.keys(OPERATIONS).join(', ')})`);
  }
  return operation(request, context);
}
