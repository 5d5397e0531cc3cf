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
import { NEEDS_ROOT } from '../interop/matrix.ts';
import { ingressOf } from './cluster-api.ts';
import { expectIngress, expectPaths, inRange } from './expectations.ts';
import { type World, POOLS, startWorld } from './world.ts';

const ALL = ['node-1', 'node-2', 'node-3'];

describe('porter controller and speaker against a real API server', { skip: NEEDS_ROOT, timeout: 1_800_000 }, () => {
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
  function scenario(name: string, body: (world: World, t: TestContext) => Promise<void>): void {
    test(name, { timeout: 300_000 }, async (t) => {
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
});

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
