/**
 * Porter's worker pool against real routers: a table dump and a change of every route, each above
 * the pool's crossover (engine/pool/dispatch.ts), are encoded on a worker thread and reach BIRD
 * complete; a one-route withdrawal sent right behind each, encoded at once, takes effect
 * after it, as the RIB ordered them (engine/rib/ordered-outbox.ts). Behind the dump, which waits
 * for the pool's first worker to start, that order is at stake for most of a second. BIRD alone:
 * reading 17,000 routes from FRR (`show bgp ... json detail`) took over 30 s on a loaded machine.
 * The engine's side is the same for every peer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CROSSOVER } from '../../engine/pool/dispatch.ts';
import type { DaemonDriver } from '../daemons/config.ts';
import { bird } from '../daemons/bird.ts';
import type { RibPath } from '../daemons/rib.ts';
import { until } from '../netns/wait.ts';
import { inLab } from './lab.ts';
import { NEEDS_ROOT } from './matrix.ts';

const PORTER_AS = 65001;
const DAEMON_AS = 65002;
/** Above the native encode crossover, so the dump and the change go to the pool. */
const TABLE = CROSSOVER['encode-routes'].native + 1_000;
const MED = 7;

const hostRoute = (index: number) => `10.${64 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}/32`;

describe('large UPDATE batches encoded on the worker pool', { skip: NEEDS_ROOT, timeout: 300_000 }, () => {
  test(bird.name, () => poolScenario(bird));
});

function poolScenario(driver: DaemonDriver): Promise<void> {
  return inLab(`pool-${driver.name}`, async (lab) => {
    const routerNs = await lab.namespace(driver.name);
    const porterNs = await lab.namespace('porter');
    const link = await lab.link(porterNs, routerNs, 1);
    const daemon = await lab.daemon(driver, routerNs, {
      routerId: '192.0.2.2',
      asn: DAEMON_AS,
      neighbors: [{
        address: link.a.ipv4, asn: PORTER_AS, localAddress: link.b.ipv4, localIpv4: link.b.ipv4, localIpv6: link.b.ipv6,
        families: ['ipv4-unicast'], passive: true, connectRetry: 1,
      }],
      routes: [],
    });
    const porter = await lab.porter(porterNs, {
      asn: PORTER_AS,
      routerId: '198.51.100.5',
      addresses: link.a,
      peers: [{ address: link.b.ipv4, asn: DAEMON_AS, localAddress: link.a.ipv4, families: ['ipv4-unicast'], connectRetry: 1 }],
      routes: Array.from({ length: TABLE }, (_, index) => ({ prefix: hostRoute(index) })),
    });
    assert.match(porter.log(), /"pool":"worker pool: \d+ threads?, native \(Rust addon\) in each; to the pool: encode-routes from/);
    const paths = async (): Promise<Map<string, RibPath>> => new Map((await daemon.rib('ipv4-unicast')).map((path) => [path.prefix, path]));
    const withoutMissing = (held: Map<string, RibPath>, count: number) => held.size === TABLE - count;
    // The dump starts the pool's first worker, which takes a while: a withdrawal made as soon as the
    // session is up, encoded at once, must still reach the daemon after the dump that holds the route.
    await porter.established(link.b.ipv4);
    await porter.withdraw([{ prefix: hostRoute(0) }]);
    await until(`${driver.name} holds the table dump less one route`, async () => withoutMissing(await paths(), 1), 120_000);
    assert.equal((await paths()).has(hostRoute(0)), false, 'the withdrawal behind the dump wins');

    // Every route again with a MED (a worker encodes it), then one more withdrawal (encoded at once) behind it.
    await porter.announce(Array.from({ length: TABLE - 1 }, (_, index) => ({ prefix: hostRoute(index + 1), attributes: [{ type: 'med', value: MED }] })));
    await porter.withdraw([{ prefix: hostRoute(1) }]);
    await until(`${driver.name} holds the change`, async () => {
      const held = await paths();
      return withoutMissing(held, 2) && [...held.values()].every((path) => path.med === MED);
    }, 120_000);
    assert.equal((await paths()).has(hostRoute(1)), false, 'the withdrawal behind the large change wins');
    assert.equal((await porter.neighbor(link.b.ipv4))?.advertised, TABLE - 2);
  });
}
