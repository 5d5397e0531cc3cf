/**
 * Graceful restart over loopback. Speaker A dies without a NOTIFICATION (its sockets cut, as a
 * killed process's are); B, the helper, runs on a manual clock so that its timers move only when
 * the test says: the restart timer, the IdleHoldTimer before B listens again, the LLGR stale time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../session/clock.ts';
import type { Speaker } from '../speaker.ts';
import type { SpeakerConfig } from './config.ts';
import { entryOf, Speakers, until } from './testing.ts';

const A = '127.0.35.1';
const B = '127.0.35.2';
const KEPT = '198.51.100.35/32';
const DROPPED = '198.51.100.36/32';
const NO_LLGR_ROUTE = '198.51.100.37/32';

interface Scene {
  speakers: Speakers;
  clock: ManualClock;
  b: Speaker;
  /** Starts A (again) with its routes, and peers it with B. */
  startA(config: Partial<SpeakerConfig>, prefixes: string[]): Promise<Speaker>;
}

async function scene(speakers: Speakers, gracefulRestart: SpeakerConfig['gracefulRestart'], llgr = false): Promise<Scene> {
  const clock = new ManualClock();
  const b = await speakers.start(B, 65002, { gracefulRestart }, { clock });
  b.addPeer({ address: A, asn: 65001, passive: true, llgr });
  return {
    speakers,
    clock,
    b,
    async startA(config, prefixes) {
      const a = await speakers.start(A, 65001, { gracefulRestart, ...config });
      a.announce(
        prefixes.map((prefix) => ({
          prefix,
          ...(prefix === NO_LLGR_ROUTE ? { attributes: [{ type: 'communities' as const, values: ['65535:7'] }] } : {}),
        })),
      );
      a.addPeer({ address: B, asn: 65002, localAddress: A, port: b.listening[0].port, connectRetry: 1, llgr });
      return a;
    },
  };
}

const staleOf = (speaker: Speaker, prefix: string) => entryOf(speaker, 'ipv4-unicast', prefix)?.paths[0]?.stale;

test('graceful restart: the helper keeps a dead peer\'s paths stale, and sweeps what the restarted peer does not send again', async () => {
  const speakers = new Speakers();
  try {
    const { b, clock, startA } = await scene(speakers, { restartTime: 120, restarting: false, llgrStaleTime: 0, stalePathTime: 360 });
    const a = await startA({}, [KEPT, DROPPED]);
    await until(() => entryOf(b, 'ipv4-unicast', DROPPED) !== undefined, 'both routes at B');
    assert.equal(staleOf(b, KEPT), null);

    await a.abort();
    await until(() => b.neighbor(A).state !== 'Established', 'B noticing the dead session');
    assert.equal(staleOf(b, KEPT), 'gr', 'kept, stale');
    assert.equal(staleOf(b, DROPPED), 'gr');
    assert.equal(entryOf(b, 'ipv4-unicast', KEPT)!.paths[0].best, true, 'still used for forwarding');
    assert.equal(b.neighbor(A).gracefulRestart, 'restarting');

    clock.advance(10); // B's IdleHoldTimer: it listens for A again.
    const restarted: boolean[] = [];
    b.on('peer-up', ({ session }) => restarted.push(session.peerGracefulRestart?.restarting === true));
    await startA({ gracefulRestart: { restartTime: 120, restarting: true, llgrStaleTime: 0, stalePathTime: 360 } }, [KEPT]);
    await until(() => entryOf(b, 'ipv4-unicast', DROPPED) === undefined, 'the route not sent again swept at End-of-RIB');
    assert.deepEqual(restarted, [true], 'the restarted speaker set the R bit');
    assert.equal(staleOf(b, KEPT), null, 'the route sent again is fresh');
    assert.equal(b.neighbor(A).gracefulRestart, 'none');
    assert.equal(b.neighbor(A).state, 'Established');
  } finally {
    await speakers.cleanup();
  }
});

test('graceful restart: when the restart timer runs out, the stale paths go', async () => {
  const speakers = new Speakers();
  try {
    const { b, clock, startA } = await scene(speakers, { restartTime: 30, restarting: false, llgrStaleTime: 0, stalePathTime: 360 });
    const a = await startA({}, [KEPT]);
    await until(() => entryOf(b, 'ipv4-unicast', KEPT) !== undefined, 'the route at B');
    await a.abort();
    await until(() => staleOf(b, KEPT) === 'gr', 'the route stale at B');
    clock.advance(29);
    assert.equal(staleOf(b, KEPT), 'gr', 'kept within the restart time');
    clock.advance(2);
    assert.equal(entryOf(b, 'ipv4-unicast', KEPT), undefined, 'removed when it ran out');
    assert.equal(b.neighbor(A).gracefulRestart, 'none');
  } finally {
    await speakers.cleanup();
  }
});

test('long-lived graceful restart: after the restart time, paths stay least preferred with LLGR_STALE, NO_LLGR paths go', async () => {
  const speakers = new Speakers();
  try {
    const { b, clock, startA } = await scene(
      speakers,
      { restartTime: 30, restarting: false, llgrStaleTime: 3600, stalePathTime: 360 },
      true,
    );
    const a = await startA({}, [KEPT, NO_LLGR_ROUTE]);
    await until(() => entryOf(b, 'ipv4-unicast', NO_LLGR_ROUTE) !== undefined, 'both routes at B');
    await a.abort();
    await until(() => staleOf(b, KEPT) === 'gr', 'the routes stale at B');
    clock.advance(31);
    assert.equal(entryOf(b, 'ipv4-unicast', NO_LLGR_ROUTE), undefined, 'NO_LLGR: removed (RFC 9494 section 4.2)');
    const [path] = entryOf(b, 'ipv4-unicast', KEPT)!.paths;
    assert.equal(path.stale, 'llgr');
    assert.deepEqual(path.attributes.find(({ type }) => type === 'communities'), { type: 'communities', values: ['65535:6'] });
    assert.equal(b.neighbor(A).gracefulRestart, 'long-lived');
    clock.advance(3600);
    assert.equal(entryOf(b, 'ipv4-unicast', KEPT), undefined, 'removed after the LLGR stale time');
  } finally {
    await speakers.cleanup();
  }
});
