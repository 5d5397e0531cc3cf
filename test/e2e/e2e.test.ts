/**
 * Porter end to end against a real kube-apiserver and etcd: `porter controller` replicas on the
 * host allocate Service addresses from Eips, and `porter speaker` on three nodes (each in its own
 * network namespace) announces them to a real BIRD and FRR (AS 65000, eBGP to the nodes' AS 65001,
 * multipath). The suite plays kubelet and endpoint controller: it writes Nodes and EndpointSlices.
 *
 * The scenarios run in order in one world, to pay its start-up once, each from the state the
 * previous one left; after a failed scenario the rest are skipped. Each reports how long it took.
 */
import assert from 'node:assert/strict';
import { type TestContext, after, before, describe, test } from 'node:test';
import { FINALIZER } from '../../controller/api/types.ts';
import { NEEDS_ROOT } from '../interop/matrix.ts';
import { hostRoute } from '../standalone/expectations.ts';
import type { NodeState } from '../standalone/manifests.ts';
import { receivedCommunities } from '../standalone/routers.ts';
import { ingressOf, refusal } from './cluster-api.ts';
import { expectIngress, expectPaths, inRange, nothingBroken, pathDifference, waitFor } from './expectations.ts';
import { type World, LEASE, POOLS, startWorld } from './world.ts';

const ALL = ['node-1', 'node-2', 'node-3'];
const COMMUNITY = '65001:42';
/** Scenario 9: a thousand Services in a namespace with a pool of its own (benchmarking range, RFC 2544). */
const BULK = { namespace: 'bulk', pool: '198.18.0.0/22', count: 1_000, concurrency: 50, waitMs: 300_000 };

describe('porter controller and speaker against a real API server', { skip: NEEDS_ROOT, timeout: 2_400_000 }, () => {
  let world: World | undefined;
  let failed = false;
  /** Addresses the scenarios gave out, by `namespace/name`. */
  const vips = new Map<string, string>();

  /** How long the world took to start, told by the first scenario (a hook has no diagnostics). */
  let startup = '';

  before(async () => {
    const started = performance.now();
    world = await startWorld();
    startup = seconds(started);
  }, { timeout: 300_000 });

  after(async () => {
    await world?.close();
  }, { timeout: 120_000 });

  /** One scenario: skipped after a failure; its failure carries every process's log tail; its time reported. */
  function scenario(name: string, body: (world: World, t: TestContext) => Promise<void>, timeoutMs = 300_000): void {
    test(name, { timeout: timeoutMs }, async (t) => {
      if (world === undefined || failed) {
        t.skip('an earlier scenario failed');
        return;
      }
      const started = performance.now();
      try {
        await body(world, t);
      } catch (error) {
        failed = true;
        throw world.explain(error);
      }
      t.diagnostic(`took ${seconds(started)}`);
    });
  }

  scenario('1. a Service gets an address from the right pool, announced by every node', async (w, t) => {
    t.diagnostic(`world started in ${startup}`);
    const started = performance.now();
    await w.api.createService({ namespace: 'shop', name: 'web' });
    await w.api.createService({ namespace: POOLS.team.namespace, name: 'api', openelb: true });
    const web = await expectIngress(w, 'shop', 'web');
    const api = await expectIngress(w, POOLS.team.namespace, 'api');
    t.diagnostic(`ingress written after ${seconds(started)}`);
    assert.ok(inRange(web, '203.0.113.10', '203.0.113.29'), `shop/web ${web} from the default pool`);
    assert.ok(inRange(api, '203.0.113.64', '203.0.113.79'), `team/api ${api} from the team pool`);
    vips.set('shop/web', web);
    vips.set('team/api', api);
    await expectPaths(w, { [web]: ALL, [api]: ALL });
    t.diagnostic(`announced by 3 nodes to BIRD and FRR after ${seconds(started)}`);
  });

  scenario('2. under Local policy the path follows the ready endpoints', async (w, t) => {
    await w.api.setEndpoints('shop', 'checkout', ['node-1']);
    await w.api.createService({ namespace: 'shop', name: 'checkout', policy: 'Local' });
    const checkout = await expectIngress(w, 'shop', 'checkout');
    vips.set('shop/checkout', checkout);
    await expectPaths(w, { [checkout]: ['node-1'] });
    const moved = performance.now();
    await w.api.setEndpoints('shop', 'checkout', ['node-2']);
    await expectPaths(w, { [checkout]: ['node-2'] });
    t.diagnostic(`endpoint moved from node-1 to node-2: routers followed in ${seconds(moved)}`);
    await w.api.setEndpoints('shop', 'checkout', ['node-2', 'node-3']);
    await expectPaths(w, { [checkout]: ['node-2', 'node-3'] });
    await w.api.setEndpoints('shop', 'checkout', ['node-2']);
    await expectPaths(w, { [checkout]: ['node-2'] });
  });

  scenario('3. a NotReady or excluded node withdraws its paths, and announces them again when back', async (w, t) => {
    const web = vip('shop/web');
    const api = vip('team/api');
    const checkout = vip('shop/checkout');
    const node2 = nodeState(w, 'node-2');
    const node3 = nodeState(w, 'node-3');
    const notReady = performance.now();
    await w.api.setNode({ ...node2, ready: false });
    await expectPaths(w, { [web]: ['node-1', 'node-3'], [api]: ['node-1', 'node-3'], [checkout]: [] });
    t.diagnostic(`node-2 NotReady: withdrawn in ${seconds(notReady)}`);
    await w.api.setNode(node2);
    await expectPaths(w, { [web]: ALL, [api]: ALL, [checkout]: ['node-2'] });
    const excluded = performance.now();
    await w.api.setNode({ ...node3, excluded: true });
    await expectPaths(w, { [web]: ['node-1', 'node-2'], [api]: ['node-1', 'node-2'], [checkout]: ['node-2'] });
    t.diagnostic(`node-3 excluded: withdrawn in ${seconds(excluded)}`);
    await w.api.setNode(node3);
    await expectPaths(w, { [web]: ALL, [api]: ALL });
  });

  scenario('4. a deleted Service is withdrawn, its address released and its finalizer removed', async (w, t) => {
    const api = vip('team/api');
    const before = await w.api.service(POOLS.team.namespace, 'api');
    assert.ok(before?.metadata?.finalizers?.includes(FINALIZER), `finalizer ${FINALIZER} on team/api: ${JSON.stringify(before?.metadata?.finalizers)}`);
    await waitFor('team pool counts team/api', async () => {
      const status = (await w.api.eip(POOLS.team.name)).status;
      return { done: status?.usage === 1 && status.used?.[api] !== undefined, seen: JSON.stringify(status) };
    });
    const deleted = performance.now();
    await w.api.deleteService(POOLS.team.namespace, 'api');
    await expectPaths(w, { [api]: [], [vip('shop/web')]: ALL });
    t.diagnostic(`withdrawn ${seconds(deleted)} after the delete`);
    await waitFor('team/api gone (finalizer removed)', async () => {
      const service = await w.api.service(POOLS.team.namespace, 'api');
      return { done: service === undefined, seen: JSON.stringify(service?.metadata?.finalizers) };
    });
    await waitFor(`${api} released in the team pool's status`, async () => {
      const status = (await w.api.eip(POOLS.team.name)).status;
      return { done: status?.usage === 0 && status.used?.[api] === undefined, seen: JSON.stringify(status) };
    });
    vips.delete('team/api');
    t.diagnostic(`object gone and address released ${seconds(deleted)} after the delete`);
  });

  scenario('5. an exhausted pool leaves a Service pending with a PoolExhausted Event, until a pool is added', async (w, t) => {
    await w.api.createNamespace('tiny');
    await w.api.createEip('tiny-1', { address: '203.0.113.100', protocol: 'bgp', namespaces: ['tiny'] });
    await w.api.createService({ namespace: 'tiny', name: 'first' });
    const first = await expectIngress(w, 'tiny', 'first');
    assert.equal(first, '203.0.113.100');
    await w.api.createService({ namespace: 'tiny', name: 'second' });
    await waitFor('a PoolExhausted Warning about tiny/second', async () => {
      const events = await w.api.events('tiny', 'Service', 'second');
      const done = events.some((e) => e.type === 'Warning' && e.reason === 'PoolExhausted');
      return { done, seen: JSON.stringify(events.map((e) => `${e.type} ${e.reason}: ${e.message}`)) };
    });
    assert.deepEqual(ingressOf(await w.api.service('tiny', 'second')), [], 'tiny/second has no address');
    const grown = performance.now();
    await w.api.createEip('tiny-2', { address: '203.0.113.101-203.0.113.103', protocol: 'bgp', namespaces: ['tiny'] });
    const second = await expectIngress(w, 'tiny', 'second');
    assert.ok(inRange(second, '203.0.113.101', '203.0.113.103'), `tiny/second ${second} from tiny-2`);
    await expectPaths(w, { [first]: ALL, [second]: ALL });
    t.diagnostic(`pending Service allocated and announced ${seconds(grown)} after the pool was added`);
    vips.set('tiny/first', first);
    vips.set('tiny/second', second);
  });

  scenario("6. a BgpPeer's new community reaches its router, and the other peer's sessions stay up", async (w, t) => {
    const web = vip('shop/web');
    const frrUptimes = async () => {
      const status = (await w.api.bgpPeer('frr')).status?.nodesPeerStatus ?? {};
      return Object.fromEntries(ALL.map((node) => [node, status[node]?.timersState?.uptime]));
    };
    const uptimesBefore = await frrUptimes();
    assert.ok(Object.values(uptimesBefore).every((uptime) => uptime !== undefined), `every node reports its FRR session's uptime: ${JSON.stringify(uptimesBefore)}`);
    const countersBefore = await w.routers.frrSessions();
    const frrKeepsWeb = () => pathDifference(w, { [web]: ALL });
    const edited = performance.now();
    await w.api.patchBgpPeer('bird', { spec: { communities: [COMMUNITY] } });
    await waitFor(
      `BIRD's paths of ${web} carrying ${COMMUNITY}`,
      async () => {
        const communities = await receivedCommunities(w.routers.bird, hostRoute(web));
        const done = Object.keys(communities).length === 3 && Object.values(communities).every((c) => c.includes(COMMUNITY));
        return { done, seen: JSON.stringify(communities) };
      },
      frrKeepsWeb,
    );
    t.diagnostic(`community at BIRD ${seconds(edited)} after the edit`);
    assert.deepEqual(await frrUptimes(), uptimesBefore, "BgpPeer frr's status: every node's session uptime unchanged");
    assert.deepEqual(await w.routers.frrSessions(), countersBefore, 'FRR counts no session established or dropped');
    const frrPaths = await w.routers.frr.daemon.rib('ipv4-unicast');
    assert.ok(frrPaths.filter((p) => p.peer !== undefined).every((p) => !p.communities.includes(COMMUNITY)), 'FRR receives no BIRD-only community');
  });
  scenario('7. the leader killed: the stand-by takes over within the lease, allocations unchanged', async (w, t) => {
    let leader: string | undefined;
    await waitFor('a leader in the Lease', async () => {
      leader = await w.api.leaseHolder(LEASE.namespace, LEASE.name);
      return { done: leader !== undefined && w.controllers.has(leader), seen: `holder ${leader}` };
    });
    const killed = w.controllers.get(leader ?? '');
    assert.ok(killed && leader);
    const standBy = [...w.controllers.keys()].find((identity) => identity !== leader);
    assert.ok(standBy, 'a stand-by replica');
    const before = await w.api.allIngress();
    const started = performance.now();
    killed.signal('SIGKILL');
    await killed.exited;
    // The dead leader's Lease runs out after its duration (15 s) from the last renewal; the stand-by retries every 2 s.
    await waitFor(`${standBy} holding the Lease`, async () => {
      const holder = await w.api.leaseHolder(LEASE.namespace, LEASE.name);
      return { done: holder === standBy, seen: `holder ${holder}` };
    }, nothingBroken, 45_000);
    t.diagnostic(`${leader} killed; ${standBy} took the Lease after ${seconds(started)}`);
    await w.api.createService({ namespace: 'shop', name: 'after-failover' });
    const fresh = await expectIngress(w, 'shop', 'after-failover');
    t.diagnostic(`a new Service got ${fresh} ${seconds(started)} after the kill`);
    assert.ok(!Object.values(before).flat().includes(fresh), `${fresh} was not in use`);
    await expectPaths(w, { [fresh]: ALL, [vip('shop/web')]: ALL, [vip('shop/checkout')]: ['node-2'] });
    const after = await w.api.allIngress();
    delete after['shop/after-failover'];
    assert.deepEqual(after, before, "every other Service's ingress is unchanged");
    vips.set('shop/after-failover', fresh);
  });

  scenario('8. invalid Eips: CEL refuses a bad or changed address; an overlapping pool is reported, nothing else moves', async (w, t) => {
    for (const address of ['not-an-ip', '203.0.113.300', '192.0.2.10-2001:db8::1']) {
      const refused = await refusal(() => w.api.createEip('bad', { address, protocol: 'bgp' }));
      assert.equal(refused?.code, 422, address);
      assert.match(refused.body, /must be an IP address, a CIDR, or a range/, address);
    }
    const changed = await refusal(() => w.api.patchEip(POOLS.shared.name, { spec: { address: '203.0.113.0/24' } }));
    assert.equal(changed?.code, 422);
    assert.match(changed.body, /address is immutable/);

    const before = await w.api.allIngress();
    const announced = { [vip('shop/web')]: ALL, [vip('shop/checkout')]: ['node-2'], [vip('tiny/first')]: ALL };
    const nothingMoves = () => pathDifference(w, announced);
    const created = performance.now();
    await w.api.createEip('overlap', { address: '203.0.113.20-203.0.113.40', protocol: 'bgp' });
    await waitFor(
      'Eip overlap reported Ready False, reason Overlap',
      async () => {
        const ready = (await w.api.eip('overlap')).status?.conditions?.find((c) => c.type === 'Ready');
        return { done: ready?.status === 'False' && ready.reason === 'Overlap', seen: JSON.stringify(ready) };
      },
      nothingMoves,
    );
    await waitFor(
      'a Warning Event about Eip overlap',
      async () => {
        const events = await w.api.events('default', 'Eip', 'overlap');
        const done = events.some((e) => e.type === 'Warning' && e.reason === 'PoolOverlap');
        return { done, seen: JSON.stringify(events.map((e) => `${e.type} ${e.reason}: ${e.message}`)) };
      },
      nothingMoves,
    );
    t.diagnostic(`overlap reported in status and Event ${seconds(created)} after the create`);
    assert.equal(await nothingMoves(), undefined);
    assert.deepEqual(await w.api.allIngress(), before, "every Service's ingress is unchanged");
  });

  scenario(`9. ${BULK.count} Services created at once are all allocated and announced`, async (w, t) => {
    await w.api.createNamespace(BULK.namespace);
    await w.api.createEip(BULK.namespace, { address: BULK.pool, protocol: 'bgp', namespaces: [BULK.namespace] });
    const names = Array.from({ length: BULK.count }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
    const started = performance.now();
    await inParallel(names, BULK.concurrency, (name) => w.api.createService({ namespace: BULK.namespace, name }));
    const created = seconds(started);
    let allocated = '';
    await waitFor(
      `${BULK.count} Services with an address`,
      async () => {
        const list = await w.api.core.listNamespacedService({ namespace: BULK.namespace });
        const addresses = new Set(list.items.flatMap((service) => ingressOf(service)));
        const withAddress = list.items.filter((service) => ingressOf(service).length === 1).length;
        if (withAddress === BULK.count && allocated === '') allocated = seconds(started);
        return { done: withAddress === BULK.count && addresses.size === BULK.count, seen: `${withAddress} with an address, ${addresses.size} distinct` };
      },
      nothingBroken,
      BULK.waitMs,
    );
    t.diagnostic(`${BULK.count} creates (${BULK.concurrency} at a time) done after ${created}; every ingress written after ${allocated}`);
    const given = new Set(Object.values(await w.api.allIngress()).flat().map(hostRoute));
    await waitFor(
      `BIRD holding ${BULK.count} VIPs with 3 paths each`,
      async () => {
        const count = await w.birdCount(BULK.pool);
        if (count.networks <= BULK.count) return { done: count.networks === BULK.count && count.paths === 3 * BULK.count, seen: JSON.stringify(count) };
        // More VIPs than Services: name the ones no Service holds, and who sends them.
        const stray = (await w.routers.bird.daemon.rib('ipv4-unicast')).filter((p) => p.peer !== undefined && p.prefix.startsWith('198.18.') && !given.has(p.prefix));
        return { done: false, seen: `${JSON.stringify(count)}; held by no Service: ${stray.map((p) => `${p.prefix} via ${p.nextHops.join()}`).join('; ')}` };
      },
      nothingBroken,
      BULK.waitMs,
    );
    const announced = seconds(started);
    const frrPaths = (await w.routers.frr.daemon.rib('ipv4-unicast')).filter((p) => p.peer !== undefined && p.prefix.startsWith('198.18.'));
    assert.equal(frrPaths.length, 3 * BULK.count, 'FRR holds 3 paths per VIP too');
    t.diagnostic(`all announced at BIRD after ${announced}`);
  }, 2 * BULK.waitMs);

  /** The address a Service got in an earlier scenario. */
  function vip(key: string): string {
    const address = vips.get(key);
    assert.ok(address, `an earlier scenario gave ${key} an address`);
    return address;
  }
});

/** A node's starting state: Ready, not excluded, at its bridge address. */
function nodeState(world: World, name: string): NodeState {
  return { name, address: world.node(name).address, ready: true, excluded: false };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
