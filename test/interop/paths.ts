/** Finding routes and reading their attributes, on Porter's side (wire-model attributes) and the daemon's (RibPath). */
import assert from 'node:assert/strict';
import type { PathAttribute } from '../../engine/wire/types.ts';
import type { UnicastFamily } from '../daemons/config.ts';
import type { RibPath, RibReader } from '../daemons/rib.ts';
import { delay, until } from '../netns/wait.ts';
import type { AdjRibInRoute, PorterProcess } from './porter-process.ts';

/** The attribute of a type, if present. */
export function attribute<T extends PathAttribute['type']>(attributes: PathAttribute[], type: T): Extract<PathAttribute, { type: T }> | undefined {
  return attributes.find((a) => a.type === type) as Extract<PathAttribute, { type: T }> | undefined;
}

/** The AS numbers of AS_PATH, every segment in order. */
export function asPathOf(attributes: PathAttribute[]): number[] {
  return attribute(attributes, 'as-path')?.segments.flatMap((s) => s.asns) ?? [];
}

/** The paths a daemon holds for a prefix from one neighbour, waiting until there are `count` of them. */
export async function daemonPaths(rib: RibReader, family: UnicastFamily, prefix: string, peer: string | undefined, count = 1, timeoutMs = 20_000): Promise<RibPath[]> {
  let found: RibPath[] = [];
  await until(`${count} path(s) for ${prefix}${peer ? ` from ${peer}` : ''} in the daemon's RIB`, async () => {
    found = (await rib(family)).filter((p) => p.prefix === prefix && (peer === undefined || p.peer === peer));
    return found.length >= count;
  }, timeoutMs).catch(async (error) => {
    throw new Error(`${(error as Error).message}; the RIB holds ${JSON.stringify(await rib(family).catch(() => []))}`);
  });
  return found;
}

/** Waits until the daemon holds no path for a prefix from `peer` (from anyone when undefined). */
export async function daemonHasNoPath(rib: RibReader, family: UnicastFamily, prefix: string, peer: string | undefined, timeoutMs = 20_000): Promise<void> {
  await until(`no path for ${prefix} in the daemon's RIB`, async () => {
    return !(await rib(family)).some((p) => p.prefix === prefix && (peer === undefined || p.peer === peer));
  }, timeoutMs);
}

/** Asserts that `actual` holds every element of `expected`. */
export function includesAll(actual: string[], expected: string[], what: string): void {
  for (const item of expected) assert.ok(actual.includes(item), `${what}: ${JSON.stringify(actual)} lacks ${item}`);
}

/** Porter's Adj-RIB-In routes for a prefix from a peer, once they are there. */
export async function porterRoutes(porter: PorterProcess, peer: string, family: UnicastFamily, prefix: string, count = 1): Promise<AdjRibInRoute[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const routes = (await porter.adjRibIn(peer, family)).filter((r) => r.prefix === prefix);
    if (routes.length >= count) return routes;
    if (Date.now() > deadline) {
      throw new Error(`${porter.name}: ${count} route(s) for ${prefix} from ${peer} did not arrive; Adj-RIB-In: ${JSON.stringify(await porter.adjRibIn(peer, family))}`);
    }
    await delay(200);
  }
}
