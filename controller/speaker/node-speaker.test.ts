/**
 * The node speaker against a store and real engine Speakers: a router Speaker on loopback peers
 * with the node's, and the router's Loc-RIB shows what the node announces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import type { Speaker } from '../../engine/speaker.ts';
import { entryOf, passivePeer, Speakers, until } from '../../engine/speaker/testing.ts';
import type { BgpConfSpec, BgpConfStatus, BgpPeer, BgpPeerSpec, NodePeerStatus } from '../api/types.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import type { ClusterWriter, EventType, Kind, ObjectKey } from '../runtime/types.ts';
import { BYTES_PER_SECOND_PER_ENDPOINT } from './announcements.ts';
import { NodeSpeaker, type NodeSpeakerOptions } from './node-speaker.ts';
import { makeBgpConf, makeBgpPeer, makeNode, makeService, makeSlice } from './testing.ts';

const NODE = 'n1';
const NODE_IP = '192.0.2.1';
const VIP = '198.51.100.10';
const TIMEOUT = 60_000;

/** What the node speaker wrote, kept as the API server would hold it. */
class RecordingWriter implements ClusterWriter {
  readonly peerStatus = new Map<string, Map<string, NodePeerStatus>>();
  readonly peerStatusWrites: { name: string; node: string; status: NodePeerStatus | undefined }[] = [];
  readonly confStatus: BgpConfStatus[] = [];
  readonly events: { kind: Kind; key: ObjectKey; type: EventType; reason: string; message: string }[] = [];

  async setServiceIngress(): Promise<void> {}
  async setServiceFinalizer(): Promise<void> {}
  async setEipStatus(): Promise<void> {}
  async setBgpPeerNodeStatus(name: string, node: string, status: NodePeerStatus | undefined): Promise<void> {
    this.peerStatusWrites.push({ name, node, status });
    const nodes = this.peerStatus.get(name) ?? new Map<string, NodePeerStatus>();
    if (status === undefined) nodes.delete(node);
    else nodes.set(node, status);
    this.peerStatus.set(name, nodes);
  }
  async setBgpConfStatus(_name: string, status: BgpConfStatus): Promise<void> {
    this.confStatus.push(status);
  }
  async event(kind: Kind, key: ObjectKey, type: EventType, reason: string, message: string): Promise<void> {
    this.events.push({ kind, key, type, reason, message });
  }

  status(peer: string): NodePeerStatus | undefined {
    return this.peerStatus.get(peer)?.get(NODE);
  }
}

/** One loopback block per test, so tests never share an address. */
function addresses(block: number) {
  return { node: `127.0.${block}.1`, routerA: `127.0.${block}.2`, routerB: `127.0.${block}.3` };
}

interface Cluster {
  node?: V1Node;
  services?: V1Service[];
  slices?: V1EndpointSlice[];
  conf?: Partial<BgpConfSpec>;
  peers?: BgpPeer[];
}

function fill(store: MemoryStore, cluster: Cluster): void {
  store.replace('Node', [cluster.node ?? readyNode()]);
  store.replace('Service', cluster.services ?? []);
  store.replace('EndpointSlice', cluster.slices ?? []);
  store.replace('BgpConf', [makeBgpConf({ as: 65001, listenPort: -1, ...cluster.conf })]);
  store.replace('BgpPeer', cluster.peers ?? []);
  store.replace('Secret', []);
}

function readyNode(options: { ready?: boolean; labels?: Record<string, string> } = {}): V1Node {
  return makeNode(NODE, { ...options, addresses: [{ type: 'InternalIP', address: NODE_IP }] });
}

/** A BgpPeer from the node's loopback address to a router Speaker's listener. */
function peerTo(name: string, router: Speaker, nodeAddress: string, spec: Partial<BgpPeerSpec> = {}): BgpPeer {
  const [listening] = router.listening;
  return makeBgpPeer(name, listening.address, router.config.asn, {
    timers: { config: { connectRetry: 1 } },
    ...spec,
    transport: { remotePort: listening.port, localAddress: nodeAddress, ...spec.transport },
  });
}

async function router(speakers: Speakers, address: string, nodeAddress: string, asn = 65000): Promise<Speaker> {
  const speaker = await speakers.start(address, asn);
  speaker.addPeer(passivePeer(nodeAddress, 65001, { families: ['ipv4-unicast', 'ipv6-unicast'] }));
  return speaker;
}

function nodeSpeaker(store: MemoryStore, writer: ClusterWriter, options: Partial<NodeSpeakerOptions> = {}): NodeSpeaker {
  return new NodeSpeaker({ nodeName: NODE, store, writer, isDefault: true, coalesceMs: 1, ...options });
}

const vipAt = (speaker: Speaker, prefix = `${VIP}/32`) => entryOf(speaker, 'ipv4-unicast', prefix);

function bandwidthOf(speaker: Speaker): number | undefined {
  const path = vipAt(speaker)?.paths[0];
  const extended = path?.attributes.find((attribute) => attribute.type === 'extended-communities');
  const community = extended?.type === 'extended-communities' ? extended.values.find((value) => value.type === 'link-bandwidth') : undefined;
  return community?.type === 'link-bandwidth' ? community.bandwidth : undefined;
}

test('the VIP reaches the router via the node; NotReady withdraws it, Ready brings it back, deleting the Service withdraws it', { timeout: TIMEOUT }, async () => {
  const speakers = new Speakers();
  const store = new MemoryStore();
  const writer = new RecordingWriter();
  const at = addresses(61);
  const node = nodeSpeaker(store, writer, { statusIntervalMs: 200 });
  try {
    const tor = await router(speakers, at.routerA, at.node);
    fill(store, { services: [makeService('shop/web', { ips: [VIP] })], peers: [peerTo('tor', tor, at.node, { conf: { peerAs: 65000, neighborAddress: at.routerA, description: 'rack 1 ToR' } })] });
    await node.start();
    assert.deepEqual(node.announced(), [`${VIP}/32`]);

    await until(() => vipAt(tor) !== undefined, 'the VIP at the router', 30_000);
    const [path] = vipAt(tor)!.paths;
    assert.deepEqual(path.nextHops, [NODE_IP], 'next hop: the node\'s InternalIP, not the session address');
    assert.equal(path.attributes.some(({ type }) => type === 'extended-communities'), false, 'Cluster policy: no link bandwidth');

    await until(() => writer.status('tor')?.peerState.sessionState === 'ESTABLISHED', 'status ESTABLISHED');
    const status = writer.status('tor')!;
    assert.equal(status.peerState.description, 'rack 1 ToR');
    assert.equal(status.peerState.localAs, 65001);
    assert.match(status.timersState?.uptime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await until(() => writer.status('tor')?.prefixesAdvertised === 1, 'prefixes advertised in status', 30_000);
    assert.deepEqual(writer.confStatus.at(-1), { nodesConfStatus: { [NODE]: { routerId: NODE_IP, as: 65001 } } });

    store.apply('Node', readyNode({ ready: false }));
    await until(() => vipAt(tor) === undefined, 'withdrawn while NotReady');
    assert.deepEqual(node.announced(), []);
    assert.equal(tor.neighbor(at.node).state, 'Established', 'the session stays up');

    store.apply('Node', readyNode());
    await until(() => vipAt(tor) !== undefined, 'back when Ready');

    store.apply('Node', { ...makeNode('n2'), status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    await node.whenIdle();
    assert.ok(vipAt(tor) !== undefined, 'another node\'s change is ignored');

    store.remove('Service', 'shop/web');
    await until(() => vipAt(tor) === undefined, 'withdrawn with the Service');
  } finally {
    await node.stop();
    await speakers.cleanup();
  }
});

test('Local policy: the route exists where endpoints are and carries bandwidth in proportion to them', { timeout: TIMEOUT }, async () => {
  const speakers = new Speakers();
  const store = new MemoryStore();
  const writer = new RecordingWriter();
  const at = addresses(62);
  const node = nodeSpeaker(store, writer);
  try {
    const tor = await router(speakers, at.routerA, at.node);
    const service = makeService('shop/web', { ips: [VIP], policy: 'Local' });
    const slice = (...nodes: string[]) => makeSlice('shop/web', 'web-1', nodes.map((on, index) => ({ node: on, pod: `p${index}` })));
    fill(store, { services: [service], slices: [slice(NODE, NODE, 'n2')], peers: [peerTo('tor', tor, at.node)] });
    await node.start();
    await until(() => bandwidthOf(tor) === 2 * BYTES_PER_SECOND_PER_ENDPOINT, 'two endpoints\' worth at the router', 30_000);

    store.apply('EndpointSlice', slice(NODE, 'n2', 'n2'));
    await until(() => bandwidthOf(tor) === BYTES_PER_SECOND_PER_ENDPOINT, 'one endpoint\'s worth');

    store.apply('EndpointSlice', slice('n2', 'n2'));
    await until(() => vipAt(tor) === undefined, 'withdrawn: no endpoint here');

    store.apply('EndpointSlice', makeSlice('shop/web', 'web-1', [{ node: NODE, pod: 'p0', ready: false, serving: true, terminating: true }]));
    await node.whenIdle();
    assert.equal(vipAt(tor), undefined, 'a terminating endpoint does not bring it back');

    store.apply('EndpointSlice', makeSlice('shop/web', 'web-2', [{ node: NODE, pod: 'p9' }]));
    await until(() => bandwidthOf(tor) === BYTES_PER_SECOND_PER_ENDPOINT, 'a new slice with an endpoint here');
  } finally {
    await node.stop();
    await speakers.cleanup();
  }
});

/** Two routers in session with the node, the VIP at both, and each router's session ends as it sees them. */
async function twoRouters(speakers: Speakers, store: MemoryStore, node: NodeSpeaker, block: number) {
  const at = addresses(block);
  const torA = await router(speakers, at.routerA, at.node);
  const torB = await router(speakers, at.routerB, at.node);
  const downs = { a: [] as string[], b: [] as string[] };
  torA.on('peer-down', ({ peer }) => downs.a.push(peer));
  torB.on('peer-down', ({ peer }) => downs.b.push(peer));
  fill(store, {
    services: [makeService('shop/web', { ips: [VIP] })],
    peers: [peerTo('tor-a', torA, at.node), peerTo('tor-b', torB, at.node)],
  });
  await node.start();
  await until(() => vipAt(torA) !== undefined && vipAt(torB) !== undefined, 'the VIP at both routers', 30_000);
  return { at, torA, torB, downs };
}

test('a BgpPeer edit applies in place, or resets that session alone when our OPEN changes', { timeout: TIMEOUT }, async () => {
  const speakers = new Speakers();
  const store = new MemoryStore();
  const node = nodeSpeaker(store, new RecordingWriter());
  try {
    const { at, torA, torB, downs } = await twoRouters(speakers, store, node, 63);
    const engine = node.speaker!;

    store.apply('BgpPeer', peerTo('tor-a', torA, at.node, { med: 50 }));
    await until(() => vipAt(torA)!.paths[0].attributes.some((attribute) => attribute.type === 'med' && attribute.value === 50), 'MED at A');
    assert.deepEqual(downs.a, [], 'a MED change does not reset');

    store.apply('BgpPeer', peerTo('tor-a', torA, at.node, {
      med: 50,
      afiSafis: [
        { config: { family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' } } },
        { config: { family: { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' } } },
      ],
    }));
    await until(() => downs.a.length > 0, 'A reset');
    await until(() => torA.neighbor(at.node).state === 'Established' && vipAt(torA) !== undefined, 'A back with the VIP', 30_000);
    assert.deepEqual(torA.neighbor(at.node).families, ['ipv4-unicast', 'ipv6-unicast']);
    assert.deepEqual(downs.b, [], 'B never went down');
    assert.ok(vipAt(torB) !== undefined, 'B kept the VIP throughout');
    assert.equal(node.speaker, engine, 'the same Speaker');
  } finally {
    await node.stop();
    await speakers.cleanup();
  }
});

test('a refused BgpPeer and a deselected one leave the other session alone', { timeout: TIMEOUT }, async () => {
  const speakers = new Speakers();
  const store = new MemoryStore();
  const writer = new RecordingWriter();
  const node = nodeSpeaker(store, writer);
  try {
    const { at, torA, torB, downs } = await twoRouters(speakers, store, node, 65);

    // A password from a Secret that does not exist: A's session goes, its status and an Event say why.
    store.apply('BgpPeer', peerTo('tor-a', torA, at.node, {
      conf: { peerAs: 65000, neighborAddress: at.routerA, authPasswordSecretRef: { namespace: 'porter', name: 'md5', key: 'password' } },
    }));
    await until(() => writer.status('tor-a')?.lastError?.includes('Secret porter/md5 not found') === true, 'the error in A\'s status');
    assert.equal(writer.status('tor-a')!.peerState.sessionState, 'IDLE');
    assert.ok(writer.events.some((event) => event.kind === 'BgpPeer' && event.key === 'tor-a' && event.type === 'Warning'));
    await until(() => vipAt(torA) === undefined, 'A lost the session and the VIP');

    store.apply('BgpPeer', peerTo('tor-a', torA, at.node));
    await until(() => vipAt(torA) !== undefined, 'A back', 30_000);
    await until(() => writer.status('tor-a')?.peerState.sessionState === 'ESTABLISHED', 'A\'s status ESTABLISHED');
    assert.equal(writer.status('tor-a')!.lastError, undefined, 'the error cleared');
    assert.deepEqual(downs.b, [], 'B unaffected');

    // B no longer selects this node: its session ends and its entry for this node goes.
    store.apply('BgpPeer', peerTo('tor-b', torB, at.node, { nodeSelector: { matchLabels: { rack: 'r9' } } }));
    await until(() => vipAt(torB) === undefined, 'B deconfigured');
    await node.whenIdle();
    assert.equal(writer.status('tor-b'), undefined, 'B\'s entry for this node removed');
    assert.deepEqual(writer.peerStatusWrites.at(-1), { name: 'tor-b', node: NODE, status: undefined });
    assert.ok(vipAt(torA) !== undefined, 'A unaffected');

    // Selected again by a label on the node: the node's change re-evaluates the peers.
    store.apply('Node', readyNode({ labels: { rack: 'r9' } }));
    await until(() => vipAt(torB) !== undefined, 'B back after the node was labelled', 30_000);
  } finally {
    await node.stop();
    await speakers.cleanup();
  }
});

test('nothing runs before Services, EndpointSlices, the Node, BgpConf and BgpPeers are listed', { timeout: TIMEOUT }, async () => {
  const store = new MemoryStore();
  const node = nodeSpeaker(store, new RecordingWriter());
  try {
    store.apply('Node', readyNode());
    store.apply('BgpConf', makeBgpConf({ as: 65001, listenPort: -1 }));
    store.apply('Service', makeService('shop/web', { ips: [VIP] }));
    await node.start();
    assert.equal(node.speaker, undefined);
    store.replace('Node', [readyNode()]);
    store.replace('BgpConf', [makeBgpConf({ as: 65001, listenPort: -1 })]);
    store.replace('Service', [makeService('shop/web', { ips: [VIP] })]);
    store.replace('BgpPeer', []);
    await node.whenIdle();
    assert.equal(node.speaker, undefined, 'EndpointSlices not listed yet');
    store.replace('EndpointSlice', []);
    await until(() => node.speaker !== undefined, 'running once every kind is listed');
    await node.whenIdle();
    assert.deepEqual(node.announced(), [`${VIP}/32`]);
  } finally {
    await node.stop();
  }
});

test('a burst of a thousand Services is one announce; withdrawing them is one withdraw', { timeout: TIMEOUT }, async () => {
  const store = new MemoryStore();
  const node = nodeSpeaker(store, new RecordingWriter(), { coalesceMs: 5 });
  try {
    fill(store, {});
    await node.start();
    const engine = node.speaker!;
    const calls: string[] = [];
    const announce = engine.announce.bind(engine);
    const withdraw = engine.withdraw.bind(engine);
    engine.announce = (routes) => (calls.push(`announce ${routes.length}`), announce(routes));
    engine.withdraw = (routes) => (calls.push(`withdraw ${routes.length}`), withdraw(routes));
    const services = Array.from({ length: 1000 }, (_, index) =>
      makeService(`shop/web-${index}`, { ips: [`198.51.${100 + Math.floor(index / 250)}.${index % 250}`] }),
    );
    for (const service of services) store.apply('Service', service);
    await node.whenIdle();
    assert.deepEqual(calls, ['announce 1000']);
    assert.equal(node.announced().length, 1000);
    assert.equal(engine.locRib('ipv4-unicast').length, 1000);

    calls.length = 0;
    store.apply('EndpointSlice', makeSlice('shop/web-1', 'web-1-a', [{ node: NODE, pod: 'p' }]));
    await node.whenIdle();
    assert.deepEqual(calls, [], 'an endpoint change of a Cluster Service changes no route');

    // A kubelet heartbeat changes nothing the speaker reads; a label does, and re-evaluates every Service once.
    let serviceLists = 0;
    const list = store.list.bind(store);
    store.list = ((kind: Kind) => (kind === 'Service' && serviceLists++, list(kind))) as typeof store.list;
    const heartbeat = readyNode();
    heartbeat.status!.conditions![0].lastHeartbeatTime = new Date();
    store.apply('Node', heartbeat);
    await node.whenIdle();
    assert.equal(serviceLists, 0, 'a heartbeat: no work');
    store.apply('Node', readyNode({ labels: { rack: 'r1' } }));
    await node.whenIdle();
    assert.equal(serviceLists, 1, 'a label: one pass over the Services');
    assert.deepEqual(calls, [], 'and no route changed');
    store.list = list;

    store.replace('Service', []);
    await node.whenIdle();
    assert.deepEqual(calls, ['withdraw 1000']);
    assert.equal(engine.locRib('ipv4-unicast').length, 0);
  } finally {
    await node.stop();
  }
});

test('a shared address stays while one of its Services is eligible; a Service Porter does not own adds nothing', { timeout: TIMEOUT }, async () => {
  const store = new MemoryStore();
  const node = nodeSpeaker(store, new RecordingWriter(), { isDefault: false });
  try {
    const ours = (key: string, policy?: 'Local') => makeService(key, { ips: [VIP], loadBalancerClass: 'porter.io/bgp', ...(policy ? { policy } : {}) });
    fill(store, {
      services: [ours('shop/web', 'Local'), ours('shop/api', 'Local'), makeService('shop/other', { ips: ['198.51.100.99'] })],
      slices: [makeSlice('shop/web', 'web-1', [{ node: NODE, pod: 'a' }])],
    });
    await node.start();
    assert.deepEqual(node.announced(), [`${VIP}/32`], 'the unowned Service is not announced');
    store.apply('EndpointSlice', makeSlice('shop/api', 'api-1', [{ node: NODE, pod: 'b' }]));
    store.apply('EndpointSlice', makeSlice('shop/web', 'web-1', []));
    await node.whenIdle();
    assert.deepEqual(node.announced(), [`${VIP}/32`], 'still eligible through api');
    store.remove('Service', 'shop/api');
    await node.whenIdle();
    assert.deepEqual(node.announced(), []);
  } finally {
    await node.stop();
  }
});

test('BgpConf: a new AS makes a new Speaker with every route; new families apply in place', { timeout: TIMEOUT }, async () => {
  const store = new MemoryStore();
  const logs: Record<string, unknown>[] = [];
  const writer = new RecordingWriter();
  const node = nodeSpeaker(store, writer, { logger: (entry) => logs.push(entry) });
  try {
    fill(store, { services: [makeService('shop/web', { ips: [VIP] })], peers: [makeBgpPeer('tor', '127.0.64.2', 65000, { transport: { passiveMode: true } })] });
    await node.start();
    const first = node.speaker!;
    assert.deepEqual(first.neighbors().map(({ families }) => families), [['ipv4-unicast']]);

    store.apply('BgpConf', makeBgpConf({ as: 65001, listenPort: -1, families: [65537, 131073] }));
    await node.whenIdle();
    assert.equal(node.speaker, first, 'families: same Speaker');
    assert.deepEqual(first.neighbors().map(({ families }) => families), [['ipv4-unicast', 'ipv6-unicast']]);

    store.apply('BgpConf', makeBgpConf({ as: 65002, listenPort: -1, families: [65537, 131073] }));
    await node.whenIdle();
    assert.notEqual(node.speaker, first, 'a new AS: a new Speaker');
    assert.equal(node.speaker!.config.asn, 65002);
    assert.deepEqual(node.speaker!.locRib('ipv4-unicast').map(({ prefix }) => prefix), [`${VIP}/32`], 'the routes carried over');
    assert.deepEqual(node.speaker!.neighbors().map(({ address }) => address), ['127.0.64.2'], 'the peers carried over');
    assert.ok(logs.some(({ event }) => event === 'speaker-restart'));
    assert.deepEqual(writer.confStatus.at(-1), { nodesConfStatus: { [NODE]: { routerId: NODE_IP, as: 65002 } } });
    const second = node.speaker!;
    store.apply('BgpConf', makeBgpConf({ as: 65002, listenPort: -1 }));
    await node.whenIdle();
    assert.equal(node.speaker, second, 'families again in place on the new Speaker');
    assert.deepEqual(second.neighbors().map(({ families }) => families), [['ipv4-unicast']]);

    store.apply('BgpConf', makeBgpConf({ as: 65002, listenPort: -1, routerId: '2001:db8::1' }));
    await node.whenIdle();
    assert.equal(node.speaker, second, 'a refused BgpConf keeps the running Speaker');
    assert.ok(writer.events.some((event) => event.kind === 'BgpConf' && event.type === 'Warning' && /routerId/.test(event.message)));

    store.remove('BgpConf', 'default');
    await node.whenIdle();
    assert.equal(node.speaker, undefined, 'no BgpConf: no Speaker');
    assert.deepEqual(node.announced(), []);
  } finally {
    await node.stop();
  }
});
