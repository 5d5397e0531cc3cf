/**
 * What the suite waits for, stated in the terms of the cluster: which nodes' paths each router holds
 * for a VIP, and what each node's status file says. Every wait is bounded and, when it runs out,
 * says what it saw last.
 */
import { delay } from '../netns/wait.ts';
import { type Router, receivedNextHops } from './routers.ts';
import type { StatusFile } from './status-file.ts';
import type { World } from './world.ts';

/** Generous for a loaded 2-core machine: a change crosses a file watcher, a reconcile and a BGP UPDATE. */
export const WAIT_MS = 60_000;

/** Per router, the names of the nodes whose path it should hold for a VIP (empty: withdrawn; absent: not looked at). */
export interface PathExpectation {
  bird?: string[];
  frr?: string[];
}

/** A VIP as the routers hold it: a host route. */
export function hostRoute(address: string): string {
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}

/**
 * Polls `probe` until it holds, checking `invariant` on every round; fails on the first broken
 * invariant (with what broke it) or after `timeoutMs` (with the probe's last observation).
 */
export async function untilHolding(
  what: string,
  probe: () => Promise<{ done: boolean; seen: string }>,
  invariant: () => Promise<string | undefined>,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    const broken = await invariant();
    if (broken !== undefined) throw new Error(`while waiting for ${what}: ${broken}`);
    const result = await probe().catch((error: Error) => ({ done: false, seen: `error: ${error.message}` }));
    seen = result.seen;
    if (result.done) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
    await delay(250);
  }
}

const nothingBroken = async (): Promise<undefined> => undefined;

function addressesOf(world: World, names: string[]): string[] {
  return names.map((name) => world.node(name).address).sort();
}

/** Each router's next hops for each VIP, as text. */
async function observedPaths(world: World, vips: string[]): Promise<Record<string, Record<Router['name'], string[]>>> {
  const routers: Router[] = [world.routers.bird, world.routers.frr];
  const observed: Record<string, Record<Router['name'], string[]>> = {};
  for (const vip of vips) {
    const [bird, frr] = await Promise.all(routers.map((router) => receivedNextHops(router, hostRoute(vip))));
    observed[vip] = { bird, frr };
  }
  return observed;
}

/** The first difference between the routers' paths and `expected` (VIP -> nodes per router), or undefined. */
export async function pathDifference(world: World, expected: Record<string, PathExpectation>): Promise<string | undefined> {
  const observed = await observedPaths(world, Object.keys(expected));
  for (const [vip, want] of Object.entries(expected)) {
    for (const router of ['bird', 'frr'] as const) {
      const nodes = want[router];
      if (nodes === undefined) continue;
      const wanted = addressesOf(world, nodes);
      const got = observed[vip][router];
      if (JSON.stringify(got) !== JSON.stringify(wanted)) {
        return `${router} has ${hostRoute(vip)} via [${got.join(', ')}], expected via [${wanted.join(', ')}] (${nodes.join(', ') || 'withdrawn'})`;
      }
    }
  }
  return undefined;
}

/** Waits until every VIP in `expected` has exactly the expected nodes' paths on both routers. */
export async function expectPaths(world: World, expected: Record<string, PathExpectation>, invariant = nothingBroken): Promise<void> {
  await untilHolding(
    `paths ${JSON.stringify(expected)}`,
    async () => {
      const difference = await pathDifference(world, expected);
      return { done: difference === undefined, seen: difference ?? 'as expected' };
    },
    invariant,
  );
}

/** Waits until every node's status file satisfies `check` (a complaint, or undefined when satisfied). */
export async function expectStatus(world: World, what: string, check: (status: StatusFile | undefined, node: string) => string | undefined): Promise<void> {
  await untilHolding(
    what,
    async () => {
      const complaints = world.nodes.flatMap((node) => {
        const complaint = check(node.status(), node.name);
        return complaint === undefined ? [] : [`${node.name}: ${complaint}`];
      });
      return { done: complaints.length === 0, seen: complaints.join('; ') || 'as expected' };
    },
    nothingBroken,
  );
}

/**
 * Waits until both routers use every path of `vip` at once: BIRD's merged route in its namespace's
 * FIB, FRR's best path with the paths it flags multipath.
 */
export async function expectMultipath(world: World, vip: string, nodes: string[]): Promise<void> {
  const wanted = addressesOf(world, nodes);
  await untilHolding(
    `${hostRoute(vip)} multipath over ${nodes.join(', ')}`,
    async () => {
      const seen: string[] = [];
      for (const router of [world.routers.bird, world.routers.frr]) {
        const hops = [...((await router.daemon.multipathNextHops?.(hostRoute(vip))) ?? [])].sort();
        if (JSON.stringify(hops) !== JSON.stringify(wanted)) seen.push(`${router.name} uses [${hops.join(', ')}]`);
      }
      return { done: seen.length === 0, seen: seen.join('; ') || 'as expected' };
    },
    nothingBroken,
  );
}
