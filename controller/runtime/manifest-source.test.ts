import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryStore } from './memory-store.ts';
import { startManifestSource, type ManifestProblem, type ManifestSource, type SourceTimers } from './manifest-source.ts';
import type { StoreEvent } from './types.ts';

class ManualTimers implements SourceTimers {
  #next = 0;
  readonly timers = new Map<number, { milliseconds: number; fire: () => void }>();

  setTimeout(fire: () => void, milliseconds: number): unknown {
    const id = this.#next++;
    this.timers.set(id, { milliseconds, fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  delays(): number[] {
    return [...this.timers.values()].map((timer) => timer.milliseconds).sort((a, b) => a - b);
  }

  /** Fires the timers armed for this delay. */
  fire(milliseconds: number): void {
    for (const [id, timer] of [...this.timers]) {
      if (timer.milliseconds !== milliseconds) continue;
      this.timers.delete(id);
      timer.fire();
    }
  }
}

const service = (name: string, port = 80): string => `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec: { type: LoadBalancer, ports: [{ port: ${port} }] }
`;
const eip = (name: string): string => `apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: { name: ${name} }
spec: { address: 192.0.2.0/28 }
`;

describe('startManifestSource', () => {
  let dir: string;
  let store: MemoryStore;
  let events: string[];
  let problems: ManifestProblem[];
  let timers: ManualTimers;
  let triggerWatch: () => void;
  let source: ManifestSource | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porter-manifests-'));
    store = new MemoryStore();
    events = [];
    problems = [];
    timers = new ManualTimers();
    triggerWatch = () => assert.fail('not watching');
    store.on('change', (event: StoreEvent) => events.push(`${event.type} ${event.kind} ${event.key}`));
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(options: Parameters<typeof startManifestSource>[2] = {}): Promise<ManifestSource> {
    source = await startManifestSource(dir, store, {
      onProblem: (problem) => problems.push(problem),
      timers,
      watch: (_dir, onChange) => {
        triggerWatch = onChange;
        return { close: () => (triggerWatch = () => assert.fail('closed')) };
      },
      ...options,
    });
    return source;
  }

  it('loads .yaml, .yml and .json files and marks every kind synced', async () => {
    await writeFile(join(dir, 'a.yaml'), `${service('web')}---\n${eip('pool')}`);
    await writeFile(join(dir, 'b.yml'), 'apiVersion: v1\nkind: Node\nmetadata: { name: n1 }\n');
    await writeFile(join(dir, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }));
    await writeFile(join(dir, 'notes.txt'), 'kind: Service');
    await writeFile(join(dir, '.hidden.yaml'), service('hidden'));
    await start();
    assert.deepEqual(events.sort(), ['added Eip pool', 'added Namespace apps', 'added Node n1', 'added Service default/web']);
    for (const kind of ['Service', 'EndpointSlice', 'Node', 'Namespace', 'Secret', 'Eip', 'BgpConf', 'BgpPeer'] as const) {
      assert.equal(store.synced(kind), true, kind);
    }
    assert.deepEqual(problems, []);
  });

  it('turns edits into modified, added and deleted events, and unchanged files into none', async () => {
    await writeFile(join(dir, 'a.yaml'), `${service('web')}---\n${service('api')}`);
    await writeFile(join(dir, 'b.yaml'), eip('pool'));
    await start();
    events.length = 0;

    await source?.rescan();
    assert.deepEqual(events, []);

    await writeFile(join(dir, 'a.yaml'), `${service('web', 8080)}---\n${service('db')}`);
    await source?.rescan();
    assert.deepEqual(events, ['modified Service default/web', 'added Service default/db', 'deleted Service default/api']);

    events.length = 0;
    await unlink(join(dir, 'b.yaml'));
    await source?.rescan();
    assert.deepEqual(events, ['deleted Eip pool']);
  });

  it('reports a bad document once and loads the rest', async () => {
    await writeFile(join(dir, 'a.yaml'), `${service('web')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n`);
    await writeFile(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Node\nmetadata: {}\n');
    await start();
    await source?.rescan();
    assert.deepEqual(events, ['added Service default/web']);
    assert.deepEqual(
      problems.map(({ file, document, message }) => [file, document, message.split(' (')[0]]),
      [
        [join(dir, 'a.yaml'), 2, 'unknown kind ConfigMap'],
        [join(dir, 'b.yaml'), 1, 'Node without metadata.name'],
      ],
    );
  });

  it('skips a file that is not valid YAML, and keeps its last good objects when it breaks later', async () => {
    await writeFile(join(dir, 'a.yaml'), `${service('web')}---\nspec: [\n`);
    await writeFile(join(dir, 'b.yaml'), service('api'));
    await start();
    assert.deepEqual(events, ['added Service default/api']);
    assert.equal(problems.length, 1);

    await writeFile(join(dir, 'a.yaml'), service('web'));
    await source?.rescan();
    assert.deepEqual(events, ['added Service default/api', 'added Service default/web']);

    events.length = 0;
    problems.length = 0;
    await writeFile(join(dir, 'a.yaml'), `${service('web', 81)}\nmetadata: [\n`);
    await source?.rescan();
    await source?.rescan();
    assert.deepEqual(events, [], 'a broken file is not read as a deletion');
    assert.equal(problems.length, 2, 'the syntax error and the kept objects, once');
    assert.match(problems[1].message, /keeping the 1 objects of its last good version/);
  });

  it('reports a duplicate object once; the later file wins', async () => {
    await writeFile(join(dir, 'a.yaml'), service('web', 80));
    await writeFile(join(dir, 'b.yaml'), service('web', 81));
    await start();
    await source?.rescan();
    await writeFile(join(dir, 'c.yaml'), eip('pool'));
    await source?.rescan();
    assert.equal(store.get('Service', 'default/web')?.spec?.ports?.[0].port, 81);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, join(dir, 'b.yaml'));
    assert.match(problems[0].message, /also in a\.yaml/);
  });

  it('rescans once after a burst of change events, and periodically', async () => {
    await writeFile(join(dir, 'a.yaml'), service('web'));
    await start({ debounceMs: 100, rescanIntervalMs: 30_000 });
    assert.deepEqual(timers.delays(), [30_000]);

    await writeFile(join(dir, 'a.yaml'), service('web', 81));
    triggerWatch();
    triggerWatch();
    triggerWatch();
    assert.deepEqual(timers.delays(), [100, 30_000]);
    const changed = new Promise((resolve) => store.once('change', resolve));
    timers.fire(100);
    await changed;
    assert.deepEqual(events, ['added Service default/web', 'modified Service default/web']);

    await writeFile(join(dir, 'a.yaml'), service('web', 82));
    const again = new Promise((resolve) => store.once('change', resolve));
    timers.fire(30_000);
    await again;
    await source?.rescan();
    assert.deepEqual(timers.delays(), [30_000], 'the next periodic rescan is armed');
    assert.equal(events.length, 3);
  });

  it('stop ends watching and rescanning', async () => {
    await start();
    await source?.stop();
    assert.deepEqual(timers.delays(), []);
    assert.throws(() => triggerWatch(), /closed/);
    await writeFile(join(dir, 'a.yaml'), service('web'));
    await source?.rescan();
    assert.deepEqual(events, []);
  });

  it('lays the overlay over every object', async () => {
    await writeFile(join(dir, 'a.yaml'), service('web'));
    await start({
      overlay: (kind, object) => (kind === 'Service' ? { ...object, status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } } : object),
    });
    assert.deepEqual(store.get('Service', 'default/web')?.status, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } });
  });

  it('resolves on a missing directory, reporting it, with every kind synced and empty', async () => {
    await rm(dir, { recursive: true });
    await start({ watch: undefined });
    assert.equal(store.synced('Service'), true);
    assert.deepEqual(store.list('Service'), []);
    assert.ok(problems.some((problem) => /cannot read the directory/.test(problem.message)));
    assert.ok(problems.some((problem) => /watching stopped/.test(problem.message)));
  });

  it('sees a change through the real fs.watch', { timeout: 60_000 }, async () => {
    await start({ watch: undefined, timers: undefined, debounceMs: 20 });
    // The source's watcher and timers do not keep a process alive; the test must.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      const added = new Promise((resolve) => store.once('change', resolve));
      await writeFile(join(dir, 'a.yaml'), service('web'));
      await added;
    } finally {
      clearInterval(keepAlive);
    }
    assert.deepEqual(events, ['added Service default/web']);
  });
});
