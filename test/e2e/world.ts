/**
 * The end-to-end suite's world: a real kube-apiserver and etcd on the host's loopback, BIRD and FRR
 * (AS 65000, multipath) and three nodes, each in its own network namespace on one bridge, every
 * node running `porter speaker` against the API, and `porter controller` replicas on the host.
 *
 * There is no kubelet: the suite writes the Nodes (and their status) and EndpointSlices itself. The
 * speakers reach the apiserver through relays over a unix socket (see apiserver-relay.ts), so
 * nothing is routed between the namespaces and the host. Closed even when a step fails: Porter's
 * processes and the relays by pid, then the routers and namespaces, then the control plane.
 */
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../netns/exec.ts';
import { delay } from '../netns/wait.ts';
import { API_VERSION, ANNOTATIONS } from '../../controller/api/types.ts';
import { type ControlPlane, startControlPlane } from './cluster/control-plane.ts';
import { renderKubeconfig } from './cluster/kubeconfig.ts';
import { Lab } from '../interop/lab.ts';
import { bgpPeerManifest } from '../standalone/manifests.ts';
import { type Routers, ROUTER_AS, startRouters } from '../standalone/routers.ts';
import { ClusterApi } from './cluster-api.ts';
import { type SuiteProcess, startPorter, startRelay } from './processes.ts';

export const NODE_AS = 65001;
export const LEASE = { namespace: 'porter-system', name: 'porter-controller' };
/** The port of each namespace's relay to the apiserver, on the namespace's own loopback. */
const RELAY_PORT = 6443;
/** Nodes' members on the lab bridge, so node-k is 192.0.2.1k. */
const NODE_MEMBERS = [11, 12, 13];

/** The pools the world starts with (documentation range, RFC 5737). */
export const POOLS = {
  /** The default pool, for every namespace without a pool of its own. */
  shared: { name: 'shared', address: '203.0.113.10-203.0.113.29' },
  /** Bound to namespace `team`. */
  team: { name: 'team', address: '203.0.113.64/28', namespace: 'team' },
} as const;

/** A node: its namespace, bridge address (InternalIP and next hop) and speaker. */
export interface WorldNode {
  name: string;
  namespace: string;
  address: string;
  speaker: SuiteProcess;
}

export interface World {
  lab: Lab;
  plane: ControlPlane;
  api: ClusterApi;
  routers: Routers;
  nodes: WorldNode[];
  /** Controller replicas by identity, running or killed. */
  controllers: Map<string, SuiteProcess>;
  /** A node by name. */
  node(name: string): WorldNode;
  /** Starts a controller replica on the host. */
  startController(identity: string): SuiteProcess;
  /** BIRD's count of received paths and networks inside `prefix` (birdc `show route ... count`). */
  birdCount(prefix: string): Promise<{ paths: number; networks: number }>;
  /** The error with every process's log tail appended. */
  explain(error: unknown): Error;
  close(): Promise<void>;
}

/** Builds the world: control plane, CRDs, BGP resources, pools, Nodes, routers, speakers, and controllers `c1` and `c2`. */
export async function startWorld(): Promise<World> {
  const lab = new Lab('e2e');
  const relays: SuiteProcess[] = [];
  const nodes: WorldNode[] = [];
  const controllers = new Map<string, SuiteProcess>();
  let plane: ControlPlane | undefined;
  let routers: Routers | undefined;
  const porters = () => [...controllers.values(), ...nodes.map((n) => n.speaker)];
  const world = {
    lab,
    nodes,
    controllers,
    node(name: string) {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no node ${name}`);
      return found;
    },
    startController(identity: string) {
      const controller = startPorter({ host: true }, lab.workDir, `controller-${identity}`, [
        'controller',
        '--kubeconfig', plane?.kubeconfig ?? '',
        '--lease-namespace', LEASE.namespace,
        '--identity', identity,
        '--metrics-address', '127.0.0.1:0',
      ]);
      controllers.set(identity, controller);
      return controller;
    },
    async birdCount(prefix: string) {
      const socket = join(lab.workDir, daemonDir(lab.workDir, 'bird-'), 'bird.ctl');
      // `N of M routes for K networks`: N passed the filter; M and K count the whole table. With
      // `primary` only each network's best route is shown, so its N counts networks.
      const matching = async (...options: string[]) => {
        const out = (await run('birdc', ['-s', socket, 'show', 'route', ...options, 'where', `net ~ [${prefix}+]`, 'count'])).stdout;
        return Number(/(\d+) of \d+ routes/.exec(out)?.[1] ?? 0);
      };
      return { paths: await matching(), networks: await matching('primary') };
    },
    explain(error: unknown) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const logs = [
        ...porters().map((p) => `--- ${p.name} log ---\n${p.log().slice(-3000)}`),
        ...(routers ? [routers.bird, routers.frr].map((r) => `--- ${r.name} log ---\n${r.daemon.log().slice(-1500)}`) : []),
      ];
      // The lab's folder goes with the lab: whole logs of a failed run are kept for reading.
      const kept = join(tmpdir(), `porter-e2e-logs-${process.pid}`);
      cpSync(lab.workDir, kept, { recursive: true, filter: (source) => !source.endsWith('.sock') && !source.endsWith('.ctl') });
      failure.message += `\n${logs.join('\n')}\n(whole logs kept in ${kept})`;
      return failure;
    },
    async close() {
      await Promise.all([...porters(), ...relays].map((p) => p.stop()));
      await lab.close();
      await plane?.stop();
    },
  };
  try {
    const network = (async () => {
      const members = await Promise.all(NODE_MEMBERS.map(async (member, i) => ({ name: `node-${i + 1}`, member, ns: await lab.namespace(`node${i + 1}`) })));
      // The bridge is made with the first router, so the routers come before the nodes join it.
      routers = await startRouters(lab, NODE_AS, members.map((m) => `192.0.2.${m.member}`));
      const ends = await Promise.all(members.map((m) => lab.onBridge(m.ns, m.member)));
      return members.map((m, i) => ({ ...m, address: ends[i].ipv4 }));
    })();
    const [members, started] = await Promise.all([network, startControlPlane({ name: `e2e-${process.pid}` })]);
    plane = started;
    const api = new ClusterApi(plane.kubeconfig);
    Object.assign(world, { plane, api, routers });
    await api.applyCrds();
    await api.createNamespace(LEASE.namespace);
    await api.createNamespace('shop');
    await api.createNamespace(POOLS.team.namespace);
    await api.createBgpConf({ apiVersion: API_VERSION, kind: 'BgpConf', metadata: { name: 'default' }, spec: { as: NODE_AS, listenPort: -1 } });
    const peers = routers as unknown as Routers;
    await api.createBgpPeer(bgpPeerManifest({ name: 'bird', address: peers.bird.address, asn: ROUTER_AS }));
    await api.createBgpPeer(bgpPeerManifest({ name: 'frr', address: peers.frr.address, asn: ROUTER_AS }));
    await api.createEip(POOLS.shared.name, { address: POOLS.shared.address, protocol: 'bgp' }, { [ANNOTATIONS.defaultEip]: 'true' });
    await api.createEip(POOLS.team.name, { address: POOLS.team.address, protocol: 'bgp', namespaces: [POOLS.team.namespace] });
    for (const m of members) await api.createNode({ name: m.name, address: m.address, ready: true, excluded: false });

    const socket = join(lab.workDir, 'apiserver.sock');
    relays.push(await startRelay({ host: true }, lab.workDir, 'relay-host', socket, new URL(plane.server).host));
    const kubeconfig = renderKubeconfig({ name: 'speaker', server: `https://127.0.0.1:${RELAY_PORT}`, caPem: plane.caPem, token: plane.token });
    for (const m of members) {
      relays.push(await startRelay({ namespace: m.ns }, lab.workDir, `relay-${m.name}`, `127.0.0.1:${RELAY_PORT}`, socket));
      const file = join(lab.workDir, `${m.name}.kubeconfig`);
      writeFileSync(file, kubeconfig, { mode: 0o600 });
      const speaker = startPorter({ namespace: m.ns }, lab.workDir, `speaker-${m.name}`, [
        'speaker', '--kubeconfig', file, '--node', m.name, '--metrics-address', '127.0.0.1:0',
      ]);
      nodes.push({ name: m.name, namespace: m.ns, address: m.address, speaker });
    }
    world.startController('c1');
    // c2 starts a moment later, so c1 usually leads; the suite reads the Lease rather than assume it.
    await delay(500);
    world.startController('c2');
    return world as World;
  } catch (error) {
    const explained = world.explain(error);
    await world.close();
    throw explained;
  }
}

/** The work directory a daemon driver made inside the lab's (named `<driver>-XXXXXX`). */
function daemonDir(workDir: string, prefix: string): string {
  const found = readdirSync(workDir).find((entry) => entry.startsWith(prefix));
  if (found === undefined) throw new Error(`no ${prefix}* directory in ${workDir}`);
  return found;
}
