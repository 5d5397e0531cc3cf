/**
 * Bad input: a raw test peer sends one message of each malformed class of testdata/wire/malformed.jsonl
 * (the first vector of each reason) to Porter, each over its own session, all at once. Porter must
 * answer a session reset with the NOTIFICATION the table names (read on the raw socket and decoded
 * with the codec), and otherwise apply the RFC 7606 action: treat-as-withdraw removes the route the
 * peer announced before, attribute-discard keeps it, and the session stays up. Meanwhile Porter's
 * sessions with all five daemons, and the routes both ways, stay up without a reset.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { tsCodec } from '../../engine/wire/index.ts';
import type { Capability, SessionContext, WireError } from '../../engine/wire/types.ts';
import type { DaemonInstance } from '../daemons/config.ts';
import { run } from '../netns/exec.ts';
import { createVethLink } from '../netns/link.ts';
import { type ManagedProcess, spawnIn } from '../netns/process.ts';
import { until } from '../netns/wait.ts';
import { Lab } from './lab.ts';
import { DAEMONS, NEEDS_ROOT, daemonDials } from './matrix.ts';
import { daemonPaths } from './paths.ts';
import type { PorterPeer, PorterProcess } from './porter-process.ts';
import type { RawCase, RawEvent } from './raw-peer.ts';

const RAW_PEER = fileURLToPath(new URL('./raw-peer.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MALFORMED = fileURLToPath(new URL('../../testdata/wire/malformed.jsonl', import.meta.url));

const PORTER_AS = 65000;
/** The AS, identifier, next hop and prefix the vectors are written with. */
const VECTOR_AS = 65001;
const VECTOR_PREFIX = '198.51.100.0/24';
const PORTER_RAW_ADDRESS = '203.0.113.1';

interface Vector {
  name: string;
  context: SessionContext;
  hex: string;
  error: WireError;
}

/** The first vector of each reason whose session context the raw peer can negotiate. */
function representatives(): Vector[] {
  const chosen = new Map<string, Vector>();
  for (const line of readFileSync(MALFORMED, 'utf8').split('\n').filter(Boolean)) {
    const vector = JSON.parse(line) as Vector;
    const plain = !vector.context.addPath?.length && !vector.context.extendedMessage;
    if (plain && !chosen.has(vector.error.reason)) chosen.set(vector.error.reason, vector);
  }
  return [...chosen.values()];
}

const VECTORS = representatives();

function rawAddress(index: number): string {
  return `203.0.113.${10 + index}`;
}

/** The raw peer's OPEN for a vector's session context: both unicast families, route refresh, 4-octet AS unless the context says 2. */
function openFor(vector: Vector, index: number): string {
  const capabilities: Capability[] = [
    { type: 'multiprotocol', family: 'ipv4-unicast' },
    { type: 'multiprotocol', family: 'ipv6-unicast' },
    { type: 'route-refresh' },
    ...(vector.context.fourOctetAs === false ? [] : [{ type: 'four-octet-as' as const, asn: VECTOR_AS }]),
  ];
  const open = tsCodec.encodeMessage({ type: 'open', version: 4, myAs: VECTOR_AS, holdTime: 30, bgpId: rawAddress(index), capabilities });
  return Buffer.from(open).toString('hex');
}

/** The route the vectors carry, sent valid first so that its removal (or not) can be seen. */
function validUpdate(vector: Vector): string {
  const update = tsCodec.encodeMessage({
    type: 'update',
    withdrawn: [],
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [{ type: 'sequence', asns: [VECTOR_AS] }] },
      { type: 'next-hop', value: '192.0.2.1' },
    ],
    nlri: [{ prefix: VECTOR_PREFIX }],
  }, vector.context);
  return Buffer.from(update).toString('hex');
}

const isOpen = (vector: Vector) => vector.error.code === 2;
const resets = (vector: Vector) => vector.error.action === 'session-reset';

describe('bad input from a raw peer, with all five daemons peered', { skip: NEEDS_ROOT, timeout: 180_000 }, () => {
  const lab = new Lab('bad-input');
  let porter: PorterProcess;
  const daemons: { instance: DaemonInstance; address: string; prefix: string; index: number }[] = [];
  const events = new Map<string, RawEvent[]>();
  let started = 0;
  let rawPeer: ManagedProcess | undefined;

  const eventsOf = (name: string) => events.get(name) ?? [];
  const waitForEvent = (name: string, kind: RawEvent['event'], timeoutMs = 30_000) =>
    until(`${name}: ${kind}`, async () => eventsOf(name).some((e) => e.event === kind), timeoutMs);

  before(async () => {
    const porterNs = await lab.namespace('porter');
    const rawNs = await lab.namespace('raw');
    await createVethLink({ namespace: porterNs, ipv4: `${PORTER_RAW_ADDRESS}/24` }, { namespace: rawNs, ipv4: `${rawAddress(0)}/24` });
    const rawInterface = (await run('ip', ['-n', rawNs, '-o', 'link', 'show', 'type', 'veth'])).stdout.split(':')[1].trim().split('@')[0];
    for (let i = 1; i < VECTORS.length; i += 1) await run('ip', ['-n', rawNs, 'addr', 'add', `${rawAddress(i)}/24`, 'dev', rawInterface]);

    const porterPeers: PorterPeer[] = [];
    const listen = [{ address: PORTER_RAW_ADDRESS }];
    await Promise.all(DAEMONS.map(async (driver, i) => {
      const index = i + 1;
      const ns = await lab.namespace(driver.name);
      const link = await lab.link(porterNs, ns, index);
      const dials = daemonDials(driver);
      if (dials) listen.push({ address: link.a.ipv4 });
      porterPeers.push({ address: link.b.ipv4, asn: 65100 + index, localAddress: link.a.ipv4, passive: dials, holdTime: 30, connectRetry: 1, families: ['ipv4-unicast'] });
      const prefix = `192.0.2.${index * 16}/28`;
      const instance = await lab.daemon(driver, ns, {
        routerId: link.b.ipv4,
        asn: 65100 + index,
        neighbors: [{ address: link.a.ipv4, asn: PORTER_AS, localAddress: link.b.ipv4, localIpv4: link.b.ipv4, families: ['ipv4-unicast'], passive: !dials, holdTime: 30, connectRetry: 1 }],
        routes: [{ prefix }],
      });
      daemons.push({ instance, address: link.b.ipv4, prefix, index });
    }));
    VECTORS.forEach((_, i) => porterPeers.push({ address: rawAddress(i), asn: VECTOR_AS, passive: true, holdTime: 30, families: ['ipv4-unicast', 'ipv6-unicast'] }));
    porter = await lab.porter(porterNs, {
      asn: PORTER_AS,
      routerId: PORTER_RAW_ADDRESS,
      listen,
      peers: porterPeers,
      routes: [{ prefix: '192.0.2.240/28' }],
    });
    for (const d of daemons) {
      await porter.established(d.address);
      await daemonPaths(d.instance.rib, 'ipv4-unicast', '192.0.2.240/28', undefined);
    }
    started = Date.now();

    const cases: RawCase[] = VECTORS.map((vector, i) => ({
      name: vector.name,
      localAddress: rawAddress(i),
      remoteAddress: PORTER_RAW_ADDRESS,
      open: openFor(vector, i),
      replacesOpen: isOpen(vector),
      ...(resets(vector) ? {} : { valid: validUpdate(vector), goFile: join(lab.workDir, `${vector.name}.go`) }),
      bytes: vector.hex,
      lingerMs: resets(vector) ? 5_000 : 6_000,
    }));
    const peer = spawnIn(rawNs, process.execPath, ['--import', 'tsx', RAW_PEER, JSON.stringify(cases)], { cwd: REPO_ROOT });
    createInterface({ input: peer.child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as RawEvent;
      events.set(event.case, [...eventsOf(event.case), event]);
    });
    rawPeer = peer;
  });

  after(async () => {
    await rawPeer?.stop(500);
    await lab.close();
  });

  describe('each malformed class', { concurrency: true }, () => {
    for (const vector of VECTORS) {
      const { action, code, subcode, reason } = vector.error;
      test(`${reason} (${vector.name}): ${action}${resets(vector) ? ` with NOTIFICATION ${code}/${subcode}` : ''}`, async () => {
        const peer = rawAddress(VECTORS.indexOf(vector));
        if (resets(vector)) {
          await waitForEvent(vector.name, 'end', 40_000);
          const notifications = eventsOf(vector.name)
            .flatMap((e) => (e.event === 'message' ? [tsCodec.decodeMessage(Buffer.from(e.hex, 'hex')).message] : []))
            .filter((m) => m?.type === 'notification');
          assert.equal(notifications.length, 1, `one NOTIFICATION; events: ${JSON.stringify(eventsOf(vector.name))}`);
          const [notification] = notifications;
          assert.ok(notification?.type === 'notification');
          assert.deepEqual([notification.code, notification.subcode], [code, subcode]);
          if (vector.error.data) assert.equal(notification.data, vector.error.data);
          return;
        }
        await waitForEvent(vector.name, 'valid-sent');
        const holds = async () => (await porter.adjRibIn(peer, 'ipv4-unicast')).some((r) => r.prefix === VECTOR_PREFIX);
        await until(`${VECTOR_PREFIX} from ${peer}`, holds, 15_000);
        writeFileSync(join(lab.workDir, `${vector.name}.go`), '');
        await waitForEvent(vector.name, 'sent');
        if (action === 'treat-as-withdraw') {
          await until(`${VECTOR_PREFIX} treated as withdrawn`, async () => !(await holds()), 10_000);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          assert.ok(await holds(), `${action}: the route stays`);
        }
        assert.equal((await porter.neighbor(peer))?.state, 'Established');
        const notified = eventsOf(vector.name).some((e) => e.event === 'message' && e.hex.slice(36, 38) === '03');
        assert.equal(notified, false, 'no NOTIFICATION');
      });
    }
  });

  describe('the daemons\' sessions and routes stay up', () => {
    for (const [i, driver] of DAEMONS.entries()) {
      test(driver.name, async () => {
        const d = daemons.find((x) => x.index === i + 1);
        assert.ok(d, `${driver.name} did not start`);
        const status = await porter.neighbor(d.address);
        assert.equal(status?.state, 'Established');
        assert.ok((status?.uptime ?? 0) * 1000 >= Date.now() - started - 1_000, `no reset since the raw peer started (uptime ${status?.uptime} s)`);
        assert.ok((await porter.adjRibIn(d.address, 'ipv4-unicast')).some((r) => r.prefix === d.prefix), 'Porter keeps the daemon\'s route');
        await daemonPaths(d.instance.rib, 'ipv4-unicast', '192.0.2.240/28', undefined, 1, 2_000);
      });
    }
  });
});
