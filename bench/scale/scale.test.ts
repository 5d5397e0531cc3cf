/**
 * The scale benchmark's pure parts: the address plan, the receivers' prefix count, the daemons'
 * configurations, the summaries and goals. The benchmark itself needs root, namespaces and the
 * daemons; `node --import tsx bench/scale/run.ts --quick` is its smoke run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsCodec } from '../../engine/wire/index.ts';
import { addressNumber, dottedQuad, PREFIX_BASE, prefixNumber, secondNextHop, sessionAddress } from './addresses.ts';
import { HEADER } from '../message-stream.ts';
import { churnSchedule, injectorUpdates } from './injector-routes.ts';
import { NextHopTags } from './next-hop-tags.ts';
import { ReceivedPaths } from './received-paths.ts';
import type { RunOutcome } from './run-target.ts';
import { describeScenario, pathsHeld, QUICK_SCENARIOS, SCENARIOS, type Scenario } from './scenarios.ts';
import { checkGoals, ratio, summarise } from './summary.ts';
import { renderBirdScaleConfig } from './targets/bird.ts';
import { renderFrrScaleConfig } from './targets/frr.ts';
import { renderGobgpScaleConfig } from './targets/gobgp.ts';
import { renderOpenbgpdScaleConfig } from './targets/openbgpd.ts';
import { porterScaleConfig } from './targets/porter.ts';
import { hardOpenFileLimit } from './targets/target.ts';
import { ipv4HostRoutes } from '../host-routes.ts';

const small: Scenario = { name: 'small', injectors: 2, receivers: 3, prefixesPerInjector: 4 };

/** UPDATEs announcing `numbers` as /32s, through the reference codec, with `pathId` under ADD-PATH. */
function updates(numbers: number[], nextHop = '198.19.0.1', pathId?: number): Uint8Array {
  const routes = ipv4HostRoutes(numbers.length, (j) => numbers[j]);
  if (pathId !== undefined) routes.pathId.fill(pathId);
  return tsCodec.encodeRoutes(routes, [{ nextHops: [nextHop], attributes: [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }] }],
    pathId === undefined ? {} : { addPath: ['ipv4-unicast'] });
}

/** A receiver of `prefixes` /32s from `injectors`, expecting each injector's own next hop (one path per prefix, or every injector's with ADD-PATH). */
function received(prefixes: number, injectors: number, addPath = false): ReceivedPaths {
  const tags = new NextHopTags(injectors);
  const slots = addPath ? injectors : 1;
  const paths = new ReceivedPaths({ base: PREFIX_BASE, prefixes, slots, addPath, tags });
  for (let prefix = 0; prefix < prefixes; prefix++) {
    for (let slot = 0; slot < slots; slot++) paths.expect(prefix, tags.tag(addPath ? slot : 0, false));
  }
  return paths;
}

/** Feeds every message of `bytes` to the receiver. */
function apply(count: ReceivedPaths, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length;) {
    const length = (bytes[offset + 16] << 8) | bytes[offset + 17];
    if (bytes[offset + 18] === 2) count.update(bytes, offset, offset + length);
    offset += length;
  }
}

describe('address plan', () => {
  for (const [index, address] of [[0, '198.19.0.1'], [249, '198.19.0.250'], [250, '198.19.1.1'], [1000, '198.19.4.1']] as const) {
    it(`session ${index} leaves from ${address}`, () => assert.equal(sessionAddress(index), address));
  }
  it('refuses a session outside the plan', () => assert.throws(() => sessionAddress(256 * 250), RangeError));
  it('numbers prefixes by injector', () => {
    assert.equal(dottedQuad(prefixNumber(0, 0, 100)), '10.0.0.0');
    assert.equal(dottedQuad(prefixNumber(3, 7, 100)), '10.0.1.51');
  });
});

describe('ReceivedPaths', () => {
  it('counts announced /32s once each, across UPDATEs', () => {
    const count = received(2_000, 1);
    const all = Array.from({ length: 2_000 }, (_, index) => PREFIX_BASE + index);
    apply(count, updates(all));
    apply(count, updates(all.slice(0, 10)));
    assert.equal(count.matched, 2_000);
    assert.ok(count.complete);
  });
  it('ignores prefixes outside the run', () => {
    const count = received(5, 1);
    apply(count, updates([PREFIX_BASE + 4, PREFIX_BASE + 5, PREFIX_BASE - 1]));
    assert.equal(count.matched, 1);
  });
  it('takes withdrawn prefixes away', () => {
    const count = received(3, 1);
    apply(count, updates([PREFIX_BASE, PREFIX_BASE + 1, PREFIX_BASE + 2]));
    // Withdrawn Routes Length 5, one /32 (10.0.0.1), no attributes, no NLRI.
    const withdraw = new Uint8Array([...new Uint8Array(16).fill(0xff), 0, HEADER + 2 + 5 + 2, 2, 0, 5, 32, 10, 0, 0, 1, 0, 0]);
    apply(count, withdraw);
    assert.equal(count.matched, 2);
    assert.equal(count.complete, false);
  });
  it('counts a path only with the next hop expected, and tells when it arrives', () => {
    const arrived: number[] = [];
    const tags = new NextHopTags(1);
    const count = new ReceivedPaths({ base: PREFIX_BASE, prefixes: 2, slots: 1, addPath: false, tags, onMatch: (prefix) => arrived.push(prefix) });
    count.expect(0, tags.tag(0, true));
    count.expect(1, tags.tag(0, false));
    apply(count, updates([PREFIX_BASE, PREFIX_BASE + 1], sessionAddress(0)));
    assert.deepEqual([count.matched, arrived], [1, [1]]);
    apply(count, updates([PREFIX_BASE], secondNextHop(0)));
    assert.deepEqual([count.complete, arrived], [true, [1, 0]]);
  });
  it('holds one path per injector under ADD-PATH, by next hop, and withdraws by path identifier', () => {
    const count = received(4, 3, true);
    const all = [0, 1, 2, 3].map((index) => PREFIX_BASE + index);
    for (let injector = 0; injector < 3; injector++) apply(count, updates(all, sessionAddress(injector), 10 + injector));
    assert.ok(count.complete);
    const withdraw = tsCodec.encodeMessage({ type: 'update', withdrawn: [{ prefix: '10.0.0.2/32', pathId: 11 }], attributes: [], nlri: [] }, { addPath: ['ipv4-unicast'] });
    apply(count, withdraw);
    assert.equal(count.matched, 11);
    // The identifier of injector 0's path reused for injector 1's: the first path is gone, the second back.
    apply(count, updates([PREFIX_BASE + 2], sessionAddress(1), 10));
    assert.equal(count.matched, 11);
  });
});

describe('injector routes', () => {
  const churning: Scenario = { name: 'churning', injectors: 2, receivers: 1, prefixesPerInjector: 20, churn: { share: 0.1, flapsPerSecond: 20, tickMs: 100, reannounceMs: 200 } };
  it('tags next hops by injector and flap', () => {
    const tags = new NextHopTags(2);
    assert.deepEqual([tags.of(addressNumber('198.19.0.2')), tags.of(addressNumber(secondNextHop(1))), tags.of(addressNumber('198.19.0.3'))], [2, 4, 0]);
    assert.equal(secondNextHop(0), '198.18.1.1');
  });
  it('numbers shared prefixes alike for every injector', () => {
    const shared: Scenario = { ...churning, sharedPrefixes: true, addPath: true, churn: undefined };
    const count = received(20, 2, true);
    for (let injector = 0; injector < 2; injector++) {
      const { routes, attributeSets } = tsCodec.decodeRoutes(injectorUpdates(tsCodec, shared, injector));
      routes.pathId.fill(injector + 1);
      apply(count, tsCodec.encodeRoutes(routes, attributeSets, { addPath: ['ipv4-unicast'] }));
    }
    assert.ok(count.complete);
  });
  it('flaps a share of each injector\'s prefixes, each announced again with its second next hop', () => {
    const schedule = churnSchedule(tsCodec, churning);
    assert.deepEqual(schedule.flaps.map((flap) => [flap.injector, flap.prefix, flap.reannounceTick]), [[0, 0, 2], [1, 20, 2], [0, 10, 3], [1, 30, 3]]);
    assert.equal(schedule.ticks.length, 4);
    const first = tsCodec.decodeStream(schedule.ticks[0][0] as Uint8Array).results.map((result) => result.message);
    assert.deepEqual(first, [{ type: 'update', withdrawn: [{ prefix: '10.0.0.0/32' }], attributes: [], nlri: [] }]);
    const back = tsCodec.decodeRoutes(schedule.ticks[3][1] as Uint8Array);
    assert.deepEqual([back.routes.count, back.attributeSets[0].nextHops], [1, [secondNextHop(1)]]);
  });
});

describe('scenarios', () => {
  it('has the sizes of the comparison', () => {
    assert.deepEqual(SCENARIOS.map((scenario) => [scenario.name, scenario.injectors, scenario.receivers, scenario.prefixesPerInjector]), [
      ['fanout-100x10k', 1, 100, 10_000], ['fanout-1000x1k', 1, 1_000, 1_000], ['ingest-1000x100', 1_000, 1, 100],
      ['ingest-10x10k', 10, 1, 10_000], ['ingest-100x1k', 100, 1, 1_000], ['memory', 10, 1, 50_000],
      ['reflection-addpath', 3, 1_000, 10_000], ['churn', 10, 10, 10_000],
    ]);
  });
  it('keeps the quick shapes small', () => {
    for (const scenario of QUICK_SCENARIOS) assert.ok(pathsHeld(scenario) <= 1_000 && scenario.injectors + scenario.receivers <= 23);
  });
  it('describes a scenario', () => assert.equal(describeScenario(small), '2 injectors × 4 prefixes → 3 receivers; 8 paths held'));
});

describe('target configurations', () => {
  it('BIRD: passive sessions from a template, receivers as rr clients', () => {
    const text = renderBirdScaleConfig(small, '/tmp/log');
    assert.match(text, /protocol bgp s0 from tester \{ neighbor 198\.19\.0\.1 as 65000; \}/);
    assert.match(text, /protocol bgp s4 from tester \{ neighbor 198\.19\.0\.5 as 65000; rr client; rr cluster id 198\.18\.0\.1; \}/);
    assert.equal(text.match(/^protocol bgp /gm)?.length, 5);
  });
  it('FRR: two peer-groups, receivers reflected to', () => {
    const text = renderFrrScaleConfig(small, '/tmp/log');
    assert.match(text, / neighbor 198\.19\.0\.2 peer-group INJECTORS\n neighbor 198\.19\.0\.3 peer-group RECEIVERS/);
    assert.match(text, /neighbor RECEIVERS route-reflector-client/);
    assert.match(text, /neighbor INJECTORS passive/);
  });
  it('GoBGP: passive neighbours, receivers as route-reflector clients', () => {
    const text = renderGobgpScaleConfig(small);
    assert.equal(text.match(/passive-mode = true/g)?.length, 5);
    assert.equal(text.match(/route-reflector-client = true/g)?.length, 3);
  });
  it('OpenBGPD: two passive groups, receivers reflected to with a cluster id, every route allowed', () => {
    const text = renderOpenbgpdScaleConfig(small, '/tmp/bgpd.sock');
    assert.match(text, /group "injectors" \{\n  remote-as 65000\n  local-address 198\.18\.0\.1\n  passive\n  neighbor 198\.19\.0\.1\n  neighbor 198\.19\.0\.2\n\}/);
    assert.match(text, /group "receivers" \{\n(  .*\n)*  route-reflector 198\.18\.0\.1\n  neighbor 198\.19\.0\.3\n/);
    assert.equal(text.match(/^  neighbor /gm)?.length, 5);
    assert.match(text, /^allow from any\nallow to any$/m);
  });
  it('Porter: passive peers, receivers as rrClient, a cluster id', () => {
    const config = porterScaleConfig(small);
    assert.equal(config.clusterId, '198.18.0.1');
    assert.deepEqual(config.peers.map((peer) => [peer.address, peer.passive, peer.rrClient === true]), [
      ['198.19.0.1', true, false], ['198.19.0.2', true, false], ['198.19.0.3', true, true], ['198.19.0.4', true, true], ['198.19.0.5', true, true],
    ]);
  });
  it('ADD-PATH: every target sends every path to the receivers, and only to them', () => {
    const addPath: Scenario = { ...small, sharedPrefixes: true, addPath: true };
    assert.equal(renderBirdScaleConfig(addPath, '/tmp/log').match(/add paths tx;/g)?.length, 3);
    assert.match(renderFrrScaleConfig(addPath, '/tmp/log'), /neighbor RECEIVERS addpath-tx-all-paths/);
    assert.equal(renderGobgpScaleConfig(addPath).match(/send-max = 255/g)?.length, 3);
    assert.deepEqual(porterScaleConfig(addPath).peers.map((peer) => peer.addPath?.['ipv4-unicast'] ?? 'none'), ['none', 'none', 'send', 'send', 'send']);
    assert.doesNotMatch(renderFrrScaleConfig(small, '/tmp/log'), /addpath/);
  });
  it('reads the hard open-file limit', () => {
    assert.equal(hardOpenFileLimit('Max open files            1024                 20000                files\n'), 20_000);
    assert.equal(hardOpenFileLimit('Max open files            1024                 unlimited            files\n'), 1_048_576);
  });
});

const converged = (target: string, wallSeconds: number, extra: Partial<RunOutcome> = {}): RunOutcome =>
  ({ target, status: 'converged', wallSeconds, cpuSeconds: wallSeconds / 2, rssBeforeBytes: 0, rssAfterBytes: 1_000, peakRssBytes: 2_000, ...extra });

describe('summaries', () => {
  it('takes medians of the converged runs and scales memory per million paths', () => {
    const summary = summarise('porter', [converged('porter', 3), converged('porter', 1), converged('porter', 2)], 1_000, undefined);
    assert.equal(summary.wallSeconds, 2);
    assert.equal(summary.cpuSeconds, 1);
    assert.equal(summary.rssPerMillionPathsBytes, 1_000_000);
  });
  it('flags a target within 10% of the tester alone', () => {
    assert.equal(summarise('bird', [converged('bird', 1.05)], 1, 1).testerBound, true);
    assert.equal(summarise('bird', [converged('bird', 1.2)], 1, 1).testerBound, false);
  });
  it('counts a target that timed out as a timeout', () => {
    const summary = summarise('gobgp', [converged('gobgp', 5), { target: 'gobgp', status: 'timeout', heldShare: 0.5 }], 1, 1);
    assert.equal(summary.wallSeconds, undefined);
    assert.deepEqual(summary.timeout, { heldShare: 0.5 });
  });
  it('bounds ratios against a timeout', () => {
    const porter = summarise('porter', [converged('porter', 30)], 1, undefined);
    const slow = summarise('gobgp', [{ target: 'gobgp', status: 'timeout', heldShare: 0.1 }], 1, undefined);
    assert.equal(ratio(porter, slow, 'wallSeconds', 120), '< 0.25');
    assert.equal(ratio(slow, porter, 'wallSeconds', 120), '> 4.00');
    assert.equal(ratio(porter, summarise('bird', [converged('bird', 60)], 1, undefined), 'wallSeconds', 120), '0.50');
  });
  it('checks the goals of a scenario', () => {
    const summaries = [summarise('porter', [converged('porter', 1)], 1, undefined), summarise('bird', [converged('bird', 2)], 1, undefined),
      summarise('frr', [converged('frr', 2, { cpuSeconds: 0.1 })], 1, undefined)];
    assert.deepEqual(checkGoals('fanout-1000x1k', summaries, 120).map((goal) => goal.met), [true, false]);
    assert.deepEqual(checkGoals('ingest-10x10k', summaries, 120).map((goal) => [goal.met, goal.detail]), [[true, '0.50×']]);
  });
});
