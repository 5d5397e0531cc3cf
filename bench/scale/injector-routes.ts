/**
 * What the injectors send, encoded before the clock starts: their /32s at the release, and in a
 * churn scenario the flaps, tick by tick (Scenario.churn). A flap withdraws a prefix and announces
 * it again with the injector's second next hop, so a receiver holding that next hop has seen the
 * flap through whatever the target coalesced on the way.
 */
import { WITHDRAW, type AttributeSet, type WireCodec } from '../../engine/wire/types.ts';
import { ipv4HostRoutes } from '../host-routes.ts';
import { PREFIX_BASE, secondNextHop, sessionAddress } from './addresses.ts';
import type { Scenario } from './scenarios.ts';

/** ORIGIN IGP, empty AS_PATH (iBGP), LOCAL_PREF 100, and the given next hop. */
function attributeSet(nextHop: string): AttributeSet {
  return {
    nextHops: [nextHop],
    attributes: [{ type: 'origin', value: 'igp' }, { type: 'as-path', segments: [] }, { type: 'local-pref', value: 100 }],
  };
}

/** Index of injector i's j-th prefix among the run's prefixes: the same for every injector when they share them. */
export function prefixIndex(scenario: Scenario, injector: number, j: number): number {
  return scenario.sharedPrefixes ? j : injector * scenario.prefixesPerInjector + j;
}

function encode(codec: WireCodec, scenario: Scenario, injector: number, js: number[], nextHop: string | undefined): Uint8Array {
  const routes = ipv4HostRoutes(js.length, (k) => PREFIX_BASE + prefixIndex(scenario, injector, js[k]));
  if (nextHop === undefined) routes.attributeSet.fill(WITHDRAW);
  return codec.encodeRoutes(routes, nextHop === undefined ? [] : [attributeSet(nextHop)]);
}

/** Injector i's whole table, next hop its own address. */
export function injectorUpdates(codec: WireCodec, scenario: Scenario, injector: number): Uint8Array {
  const js = Array.from({ length: scenario.prefixesPerInjector }, (_, j) => j);
  return encode(codec, scenario, injector, js, sessionAddress(injector));
}

export interface Flap {
  injector: number;
  /** The prefix's index among the run's prefixes. */
  prefix: number;
  /** The tick whose UPDATEs announce it again. */
  reannounceTick: number;
}

export interface ChurnSchedule {
  tickMs: number;
  flaps: Flap[];
  /** Per tick, per injector: its UPDATEs (withdrawals, then announcements), or undefined. */
  ticks: (Uint8Array | undefined)[][];
}

/**
 * The flaps of a churn scenario: `share` of each injector's prefixes, evenly spread over them,
 * injectors taking turns; `flapsPerSecond` withdrawn per second in ticks of `tickMs`, each one
 * announced again `reannounceMs` later.
 */
export function churnSchedule(codec: WireCodec, scenario: Scenario): ChurnSchedule {
  const plan = scenario.churn;
  if (plan === undefined) throw new Error(`${scenario.name} has no churn`);
  const perInjector = Math.max(1, Math.round(scenario.prefixesPerInjector * plan.share));
  const spacing = scenario.prefixesPerInjector / perInjector;
  const perTick = Math.max(1, Math.round((plan.flapsPerSecond * plan.tickMs) / 1000));
  const delayTicks = Math.max(1, Math.round(plan.reannounceMs / plan.tickMs));
  const order: { injector: number; j: number }[] = [];
  for (let n = 0; n < perInjector; n++) {
    for (let injector = 0; injector < scenario.injectors; injector++) order.push({ injector, j: Math.floor(n * spacing) });
  }
  const withdrawTicks = Math.ceil(order.length / perTick);
  const batch = (tick: number) => (tick < 0 || tick >= withdrawTicks ? [] : order.slice(tick * perTick, (tick + 1) * perTick));
  const ticks: (Uint8Array | undefined)[][] = [];
  for (let tick = 0; tick < withdrawTicks + delayTicks; tick++) {
    const withdrawn = batch(tick);
    const announced = batch(tick - delayTicks);
    ticks.push(Array.from({ length: scenario.injectors }, (_, injector) => {
      const out = withdrawn.filter((flap) => flap.injector === injector).map((flap) => flap.j);
      const back = announced.filter((flap) => flap.injector === injector).map((flap) => flap.j);
      if (out.length === 0 && back.length === 0) return undefined;
      const parts = [out.length > 0 ? encode(codec, scenario, injector, out, undefined) : new Uint8Array(0),
        back.length > 0 ? encode(codec, scenario, injector, back, secondNextHop(injector)) : new Uint8Array(0)];
      return Buffer.concat(parts);
    }));
  }
  const flaps = order.map(({ injector, j }, n) => ({
    injector, prefix: prefixIndex(scenario, injector, j), reannounceTick: Math.floor(n / perTick) + delayTicks,
  }));
  return { tickMs: plan.tickMs, flaps, ticks };
}
