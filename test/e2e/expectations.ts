/**
 * What the suite waits for, in the terms of the cluster: which nodes' paths BIRD and FRR hold for a
 * VIP, and what the API says (a Service's ingress). Every wait is bounded and, when it runs out,
 * says what it saw last; an invariant checked on every round fails the wait at once when broken.
 */
import { hostRoute, untilHolding } from '../standalone/expectations.ts';
import { receivedNextHops } from '../standalone/routers.ts';
import { ingressOf } from './cluster-api.ts';
import type { World } from './world.ts';

/** A change crosses a watch, a reconcile, another watch and a BGP UPDATE on a loaded 2-core machine. */
export const WAIT_MS = 90_000;

/** No invariant. */
export const nothingBroken = async (): Promise<undefined> => undefined;

/** Waits until `probe` reports done; `seen` describes the last observation for the timeout message. */
export async function waitFor(
  what: string,
  probe: () => Promise<{ done: boolean; seen: string }>,
  invariant: () => Promise<string | undefined> = nothingBroken,
  timeoutMs = WAIT_MS,
): Promise<void> {
  await untilHolding(what, probe, invariant, timeoutMs);
}

/**
 * The first difference between both routers' paths and `expected` (VIP -> names of the nodes whose
 * path each router should hold; empty: withdrawn), or undefined when they match.
 */
export async function pathDifference(world: World, expected: Record<string, string[]>): Promise<string | undefined> {
  for (const [vip, names] of Object.entries(expected)) {
    const wanted = names.map((name) => world.node(name).address).sort();
    for (const router of [world.routers.bird, world.routers.frr]) {
      const got = await receivedNextHops(router, hostRoute(vip));
      if (JSON.stringify(got) !== JSON.stringify(wanted)) {
        return `${router.name} has ${hostRoute(vip)} via [${got.join(', ')}], expected [${wanted.join(', ')}] (${names.join(', ') || 'withdrawn'})`;
      }
    }
  }
  return undefined;
}

/** Waits until both routers hold exactly the expected nodes' paths for every VIP in `expected`. */
export async function expectPaths(world: World, expected: Record<string, string[]>, invariant = nothingBroken): Promise<void> {
  await waitFor(
    `paths ${JSON.stringify(expected)}`,
    async () => {
      const difference = await pathDifference(world, expected);
      return { done: difference === undefined, seen: difference ?? 'as expected' };
    },
    invariant,
  );
}

/** Waits until the Service has exactly one ingress address, and returns it. */
export async function expectIngress(world: World, namespace: string, name: string): Promise<string> {
  let address = '';
  await waitFor(`${namespace}/${name} ingress`, async () => {
    const ingress = ingressOf(await world.api.service(namespace, name));
    address = ingress[0] ?? '';
    return { done: ingress.length === 1, seen: `ingress [${ingress.join(', ')}]` };
  });
  return address;
}

/** Whether an IPv4 address lies within `first`..`last`. */
export function inRange(address: string, first: string, last: string): boolean {
  const value = (ip: string) => ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return value(address) >= value(first) && value(address) <= value(last);
}
