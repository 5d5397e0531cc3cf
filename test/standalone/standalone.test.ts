/**
 * `porter run --manifests` end to end: three nodes, each a `porter run` process in its own
 * namespace reading one shared manifest directory, announce Service VIPs to a real BIRD and a real
 * FRR (AS 65000, eBGP to the nodes' AS 65001, multipath). The steps change the manifests as an
 * operator would and watch the routers' tables and the nodes' status files follow. They run in
 * order in one lab, each starting from the state the previous one left; after a failed step the
 * rest are skipped, since their starting state is unknown.
 *
 * Every Service names its address (spec.loadBalancerIP or OpenELB's annotation): each process
 * allocates on its own, and only a requested address makes the three agree.
 */
import assert from 'node:assert/strict';
import { type TestContext, after, before, describe, test } from 'node:test';
import { NEEDS_ROOT } from '../interop/matrix.ts';
import {
  type PathExpectation,
  expectMultipath,
  expectPaths,
  expectStatus,
  hostRoute,
  pathDifference,
  untilHolding,
} from './expectations.ts';
import { type ServiceState, eipManifest } from './manifests.ts';
import { ROUTER_AS, receivedCommunities } from './routers.ts';
import { ingressOf, peerStatusOf, usedAddresses } from './status-file.ts';
import { FILES, NAMESPACE, type World, nodeState, startWorld } from './world.ts';

const ALL = ['node-1', 'node-2', 'node-3'];
const WEB: ServiceState = { namespace: NAMESPACE, name: 'web', address: '203.0.113.10', request: 'loadBalancerIP', policy: 'Cluster' };
const API: ServiceState = { namespace: NAMESPACE, name: 'api', address: '203.0.113.11', request: 'annotation', policy: 'Cluster' };
const CHECKOUT: ServiceState = { namespace: NAMESPACE, name: 'checkout', address: '203.0.113.12', request: 'loadBalancerIP', policy: 'Local' };
const COMMUNITY = '65001:42';

function everywhere(nodes: string[]): PathExpectation {
  return { bird: nodes, frr: nodes };
}

function serviceKey(service: ServiceState): string {
  return `${service.namespace}/${service.name}`;
}

describe('porter run --manifests: three nodes announce Services to BIRD and FRR', { skip: NEEDS_ROOT, timeout: 420_000 }, () => {
  let world: World | undefined;
  let failed = false;

  before(async () => {
    world = await startWorld([WEB]);
  }, { timeout: 120_000 });

  after(async () => {
    await world?.close();
  }, { timeout: 60_000 });

  /** One step: skipped after a failure, its own failure carrying every process's log tail. */
  function step(name: string, body: (world: World, t: TestContext) => Promise<void>): void {
    test(name, { timeout: 180_000 }, async (t) => {
      if (world === undefined || failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await body(world, t);
      } catch (error) {
        failed = true;
        throw world.explain(error);
      }
    });
  }

  step('a Cluster-policy Service reaches both routers with one path per node, used together', async (w) => {
    await expectPaths(w, { [WEB.address]: everywhere(ALL) });
    await expectMultipath(w, WEB.address, ALL);
    await expectStatus(w, `${serviceKey(WEB)} ingress ${WEB.address}`, (status) => {
      const ingress = ingressOf(status, serviceKey(WEB));
      return ingress.join() === WEB.address ? undefined : `ingress [${ingress.join(', ')}]`;
    });
  });

  step('a Service written to the directory is announced from every node', async (w) => {
    w.setService(API);
    await expectPaths(w, { [API.address]: everywhere(ALL), [WEB.address]: everywhere(ALL) });
    await expectStatus(w, `${serviceKey(API)} ingress ${API.address}`, (status) => {
      const ingress = ingressOf(status, serviceKey(API));
      return ingress.join() === API.address ? undefined : `ingress [${ingress.join(', ')}]`;
    });
  });

  step('under Local policy only the node with a ready endpoint announces, and the path follows the endpoint', async (w) => {
    w.setEndpoints(CHECKOUT.name, ['node-1']);
    w.setService(CHECKOUT);
    await expectPaths(w, { [CHECKOUT.address]: everywhere(['node-1']) });
    w.setEndpoints(CHECKOUT.name, ['node-2']);
    await expectPaths(w, { [CHECKOUT.address]: everywhere(['node-2']) });
  });

  step('a NotReady or excluded node withdraws its paths and announces them again when it is back', async (w) => {
    const node2 = nodeState('node-2', w.node('node-2').address);
    const node3 = nodeState('node-3', w.node('node-3').address);
    w.setNode({ ...node2, ready: false });
    await expectPaths(w, {
      [WEB.address]: everywhere(['node-1', 'node-3']),
      [API.address]: everywhere(['node-1', 'node-3']),
      [CHECKOUT.address]: everywhere([]),
    });
    w.setNode(node2);
    await expectPaths(w, {
      [WEB.address]: everywhere(ALL),
      [API.address]: everywhere(ALL),
      [CHECKOUT.address]: everywhere(['node-2']),
    });
    w.setNode({ ...node3, excluded: true });
    await expectPaths(w, { [WEB.address]: everywhere(['node-1', 'node-2']), [API.address]: everywhere(['node-1', 'node-2']) });
    w.setNode(node3);
    await expectPaths(w, { [WEB.address]: everywhere(ALL), [API.address]: everywhere(ALL) });
  });

  step('a deleted Service is withdrawn everywhere and its address released', async (w) => {
    w.removeService(API.name);
    await expectPaths(w, { [API.address]: everywhere([]), [WEB.address]: everywhere(ALL) });
    await expectStatus(w, `${serviceKey(API)} gone and ${API.address} free`, (status) => {
      if (status?.services?.[serviceKey(API)] !== undefined) return `still lists ${serviceKey(API)}: ${JSON.stringify(status.services[serviceKey(API)])}`;
      if (usedAddresses(status).includes(API.address)) return `${API.address} still in use: ${JSON.stringify(status?.eips)}`;
      return undefined;
    });
  });

  step('a BgpPeer change reaches its own sessions only', async (w) => {
    const frrBefore = await w.routers.frrSessions();
    const uptimesBefore = w.nodes.map((node) => peerStatusOf(node.status(), 'frr', node.name)?.timersState?.uptime);
    assert.ok(uptimesBefore.every((uptime) => uptime !== undefined), `every node reports its FRR session's uptime: ${JSON.stringify(uptimesBefore)}`);
    const frrKeepsAll = () => pathDifference(w, { [WEB.address]: { frr: ALL }, [CHECKOUT.address]: { frr: ['node-2'] } });

    w.setPeer({ name: 'bird', address: w.routers.bird.address, asn: ROUTER_AS, communities: [COMMUNITY] });
    await untilHolding(
      `BIRD's paths of ${WEB.address} and ${CHECKOUT.address} carrying ${COMMUNITY}`,
      async () => {
        const web = await receivedCommunities(w.routers.bird, hostRoute(WEB.address));
        const checkout = await receivedCommunities(w.routers.bird, hostRoute(CHECKOUT.address));
        const paths = [...Object.values(web), ...Object.values(checkout)];
        const done = Object.keys(web).length === 3 && Object.keys(checkout).length === 1 && paths.every((c) => c.includes(COMMUNITY));
        return { done, seen: JSON.stringify({ web, checkout }) };
      },
      frrKeepsAll,
    );
    assert.deepEqual(await w.routers.frrSessions(), frrBefore, 'FRR counts no session established or dropped since the change');
    const uptimesAfter = w.nodes.map((node) => peerStatusOf(node.status(), 'frr', node.name)?.timersState?.uptime);
    assert.deepEqual(uptimesAfter, uptimesBefore, 'every node reports the same FRR session uptime');
    const frrPaths = await w.routers.frr.daemon.rib('ipv4-unicast');
    assert.ok(frrPaths.filter((p) => p.peer !== undefined).every((p) => !p.communities.includes(COMMUNITY)), 'FRR receives no BIRD-only community');

    w.setPeer({
      name: 'frr',
      address: w.routers.frr.address,
      asn: ROUTER_AS,
      nodeSelector: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['node-3'] }] },
    });
    await expectPaths(w, {
      [WEB.address]: { bird: ALL, frr: ['node-1', 'node-2'] },
      [CHECKOUT.address]: everywhere(['node-2']),
    });
    const frrAfter = await w.routers.frrSessions();
    for (const node of ['node-1', 'node-2']) {
      const address = w.node(node).address;
      assert.deepEqual(frrAfter[address], frrBefore[address], `FRR's session with ${node} stays up`);
    }
  });

  step('a bad manifest is reported and every other VIP stays announced', async (w, t) => {
    const announced = {
      [WEB.address]: { bird: ALL, frr: ['node-1', 'node-2'] },
      [CHECKOUT.address]: everywhere(['node-2']),
    };
    const stillAnnounced = () => pathDifference(w, announced);
    w.manifests.write('pool-bad.yaml', eipManifest('bad-pool', '203.0.113.300-203.0.113.400'));
    // A half-saved edit of the web Service's own file: its last good objects stand until it is whole again.
    const brokenFile = FILES.service(WEB.name);
    w.manifests.writeText(brokenFile, 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop\n');
    await untilHolding(
      'bad-pool reported not Ready with InvalidAddress',
      async () => {
        const seen = w.nodes.map((node) => {
          const ready = node.status()?.eips?.['bad-pool']?.conditions?.find((c) => c.type === 'Ready');
          return { node: node.name, ok: ready?.status === 'False' && ready.reason === 'InvalidAddress', ready };
        });
        return { done: seen.every((s) => s.ok), seen: JSON.stringify(seen) };
      },
      stillAnnounced,
    );
    await untilHolding(
      `${brokenFile} reported as a manifest problem (status file event or log)`,
      async () => {
        const seen = w.nodes.map((node) => ({
          node: node.name,
          event: (node.status()?.events ?? []).some((e) => `${e.key} ${e.message}`.includes(brokenFile)),
          log: node.log().split('\n').some((line) => line.includes('manifest-problem') && line.includes(brokenFile)),
        }));
        if (seen.every((s) => s.event || s.log)) t.diagnostic(`${brokenFile} reported: ${JSON.stringify(seen)}`);
        return { done: seen.every((s) => s.event || s.log), seen: JSON.stringify(seen) };
      },
      stillAnnounced,
    );
    assert.equal(await stillAnnounced(), undefined);
    await expectStatus(w, `${serviceKey(WEB)} keeps ${WEB.address}`, (status) => {
      const ingress = ingressOf(status, serviceKey(WEB));
      return ingress.join() === WEB.address ? undefined : `ingress [${ingress.join(', ')}]`;
    });
    w.setService(WEB);
    w.manifests.remove('pool-bad.yaml');
    await expectStatus(w, 'bad-pool gone', (status) => (status?.eips?.['bad-pool'] === undefined ? undefined : 'still lists bad-pool'));
    assert.equal(await stillAnnounced(), undefined);
  });
});
