/**
 * The standalone suite's world: BIRD and FRR and three nodes, each in its own namespace on one
 * bridge, every node running `porter run` over the same manifest directory. Built once and changed
 * step by step by rewriting manifest files, as an operator would; closed even when a step fails,
 * processes by pid first, then the lab's daemons and namespaces.
 */
import { join } from 'node:path';
import { Lab } from '../interop/lab.ts';
import {
  type NodeState,
  type PeerState,
  type ServiceState,
  ManifestDir,
  bgpConfManifest,
  bgpPeerManifest,
  eipManifest,
  endpointSliceManifest,
  namespaceManifest,
  nodeManifest,
  serviceManifest,
} from './manifests.ts';
import { type RunNode, startRunNode } from './porter-run.ts';
import { type Routers, ROUTER_AS, startRouters } from './routers.ts';

export const NODE_AS = 65001;
export const NAMESPACE = 'shop';
/** The pool every Service's address is taken from (documentation range, RFC 5737). */
export const POOL = { name: 'pool', address: '203.0.113.10-203.0.113.49' };
/** Nodes' members on the lab bridge, so node-k is 192.0.2.1k. */
const NODE_MEMBERS = [11, 12, 13];

export interface World {
  lab: Lab;
  manifests: ManifestDir;
  routers: Routers;
  nodes: RunNode[];
  /** A node by name. */
  node(name: string): RunNode;
  /** Writes a node's Node manifest. */
  setNode(state: NodeState): void;
  setService(service: ServiceState): void;
  removeService(name: string): void;
  /** Writes a Service's EndpointSlice: one ready endpoint on each of `nodes`. */
  setEndpoints(service: string, nodes: string[]): void;
  setPeer(peer: PeerState): void;
  /** The error with every process's log tail appended. */
  explain(error: unknown): Error;
  close(): Promise<void>;
}

/** The file each object lives in, one object per file, named so a reader of the directory finds it. */
export const FILES = {
  node: (name: string) => `node-${name}.yaml`,
  service: (name: string) => `service-${name}.yaml`,
  endpoints: (service: string) => `endpoints-${service}.yaml`,
  peer: (name: string) => `peer-${name}.yaml`,
};

/** Node k's starting state: Ready, not excluded. */
export function nodeState(name: string, address: string): NodeState {
  return { name, address, ready: true, excluded: false };
}

/** Builds the world with the routers' BgpPeers, the pool and `services`, and waits for every node's first status. */
export async function startWorld(services: ServiceState[]): Promise<World> {
  const lab = new Lab('standalone');
  const nodes: RunNode[] = [];
  const world: Omit<World, 'routers'> & { routers?: Routers } = {
    lab,
    manifests: new ManifestDir(join(lab.workDir, 'manifests')),
    nodes,
    node(name) {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no node ${name}`);
      return found;
    },
    setNode(state) {
      this.manifests.write(FILES.node(state.name), nodeManifest(state));
    },
    setService(service) {
      this.manifests.write(FILES.service(service.name), serviceManifest(service));
    },
    removeService(name) {
      this.manifests.remove(FILES.service(name));
    },
    setEndpoints(service, onNodes) {
      this.manifests.write(FILES.endpoints(service), endpointSliceManifest(NAMESPACE, service, onNodes));
    },
    setPeer(peer) {
      this.manifests.write(FILES.peer(peer.name), bgpPeerManifest(peer));
    },
    explain(error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const logs = [
        ...nodes.map((n) => `--- ${n.name} (porter run) log ---\n${n.log().slice(-3000)}`),
        ...(world.routers ? [world.routers.bird, world.routers.frr].map((r) => `--- ${r.name} log ---\n${r.daemon.log().slice(-2000)}`) : []),
      ];
      failure.message += `\n${logs.join('\n')}`;
      return failure;
    },
    async close() {
      await Promise.all(nodes.map((n) => n.stop()));
      await lab.close();
    },
  };
  try {
    const members = await Promise.all(NODE_MEMBERS.map(async (member, index) => ({ name: `node-${index + 1}`, member, ns: await lab.namespace(`node${index + 1}`) })));
    // The bridge is made with the first router, so the routers come before the nodes join it.
    world.routers = await startRouters(lab, NODE_AS, members.map((m) => `192.0.2.${m.member}`));
    const addresses = await Promise.all(members.map((m) => lab.onBridge(m.ns, m.member)));
    const { manifests } = world;
    manifests.write('bgp-conf.yaml', bgpConfManifest(NODE_AS));
    world.setPeer({ name: 'bird', address: world.routers.bird.address, asn: ROUTER_AS });
    world.setPeer({ name: 'frr', address: world.routers.frr.address, asn: ROUTER_AS });
    manifests.write('pool.yaml', eipManifest(POOL.name, POOL.address));
    manifests.write('namespace.yaml', namespaceManifest(NAMESPACE));
    members.forEach((m, i) => world.setNode(nodeState(m.name, addresses[i].ipv4)));
    for (const service of services) world.setService(service);
    const started = await Promise.allSettled(members.map((m, i) => startRunNode(m.ns, lab.workDir, manifests.dir, m.name, addresses[i].ipv4)));
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return world as World;
  } catch (error) {
    const explained = world.explain(error);
    await world.close();
    throw explained;
  }
}
