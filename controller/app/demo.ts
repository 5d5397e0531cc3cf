/**
 * The embedded default (`npm start`, `porter demo`): Porter on loopback, with no cluster and no root.
 * The manifests of `examples/` describe three nodes (127.0.0.11 to .13), address pools, BGP
 * settings and Services. One controller allocates the Services' addresses; a speaker per node
 * announces them to a Porter route reflector on 127.0.0.1, whose table is printed: each VIP with
 * the next hops (nodes) that serve it. Then node-2 is drained (labelled out of load balancing, its
 * pods moved to node-3), and the demo prints what changed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node, V1ObjectMeta } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { Speaker, type SpeakerOptions } from '../../engine/speaker.ts';
import { EXCLUDE_LABEL } from '../api/types.ts';
import { IpamController } from '../reconcilers/ipam-controller.ts';
import { startManifestSource } from '../runtime/manifest-source.ts';
import { ManifestWriter } from '../runtime/manifest-writer.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import { objectKey } from '../runtime/types.ts';
import { nodeAddresses } from '../speaker/node-address.ts';
import { NodeSpeaker } from '../speaker/node-speaker.ts';
import { ingressAddresses } from '../reconcilers/service-status.ts';

const NODES = ['node-1', 'node-2', 'node-3'];
const REFLECTOR = '127.0.0.1';
const SETTLE_TIMEOUT_MS = 60_000;

/** VIP prefix -> the next hops the reflector holds for it, sorted. */
export type VipTable = Map<string, string[]>;

export interface DemoOptions {
  examples: string;
  print: (line: string) => void;
  speakerOptions?: SpeakerOptions;
}

export interface DemoResult {
  before: VipTable;
  after: VipTable;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const dir = mkdtempSync(join(tmpdir(), 'porter-demo-'));
  cpSync(options.examples, dir, { recursive: true });
  const nodeAddresses = new Map(readNodes(join(dir, 'nodes.yaml')));
  const reflector = new Speaker(
    {
      asn: 65001,
      routerId: REFLECTOR,
      clusterId: REFLECTOR,
      listen: [{ address: REFLECTOR, port: 0 }],
      multipath: { upTo: 'igp-cost', maximumPaths: 16 },
      peers: [...nodeAddresses.values()].map((address) => ({ address, asn: 65001, passive: true, rrClient: true, holdTime: 9 })),
      routes: [],
    },
    options.speakerOptions,
  );
  const store = new MemoryStore();
  const writer = new ManifestWriter(store, {});
  const parts: { stop(): Promise<void> }[] = [];
  try {
    await reflector.start();
    const port = reflector.listening[0].port;
    pointPeersAt(join(dir, 'bgp.yaml'), port);
    const source = await startManifestSource(dir, store, { onProblem: (problem) => print(`manifest problem: ${JSON.stringify(problem)}`) });
    parts.push(source);
    const controller = new IpamController({ store, writer, isDefault: true });
    controller.start();
    parts.push(controller);
    await controller.idle();
    for (const nodeName of NODES) {
      const speaker = new NodeSpeaker({ nodeName, store, writer, isDefault: true, ...(options.speakerOptions ? { speakerOptions: options.speakerOptions } : {}) });
      await speaker.start();
      parts.push({ stop: () => speaker.stop({ graceful: false }) });
    }
    print(`Porter demo: ${NODES.map((node) => `${node} (${nodeAddresses.get(node)})`).join(', ')} announce to a Porter route reflector on ${REFLECTOR}:${port}.`);
    print('');
    print('Services and the addresses the controller gave them:');
    for (const service of store.list('Service').sort((a, b) => keyOf(a).localeCompare(keyOf(b)))) {
      print(`  ${keyOf(service).padEnd(20)} ${ingressAddresses(service).join(', ') || '(pending)'}`);
    }
    const before = await settled(reflector);
    print('');
    print('The route reflector\'s table (VIP -> next hops):');
    printTable(before, nodeAddresses, print);

    print('');
    print('Draining node-2: labelled node.kubernetes.io/exclude-from-external-load-balancers, its api pod moved to node-3.');
    drainNode2(dir);
    await source.rescan();
    const after = await settled(reflector);
    print('');
    print('What changed:');
    for (const line of differences(before, after, nodeAddresses)) print(`  ${line}`);
    print('');
    print('The route reflector\'s table after the drain:');
    printTable(after, nodeAddresses, print);
    return { before, after };
  } finally {
    for (const part of parts.reverse()) await part.stop();
    await reflector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function keyOf(object: { metadata?: V1ObjectMeta }): string {
  return objectKey(object.metadata);
}

function readNodes(file: string): [string, string][] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => {
    const node = document.toJS() as V1Node;
    return [node.metadata?.name ?? '', nodeAddresses(node).ipv4 ?? ''];
  });
}

/** The example BgpPeer dials 17900; the demo's reflector took whatever port was free. */
function pointPeersAt(file: string, port: number): void {
  rewrite(file, (object) => {
    if (object.kind === 'BgpPeer') object.spec.transport = { ...object.spec.transport, remotePort: port };
  });
}

function drainNode2(dir: string): void {
  rewrite(join(dir, 'nodes.yaml'), (object) => {
    if (object.metadata.name === 'node-2') object.metadata.labels = { ...object.metadata.labels, [EXCLUDE_LABEL]: 'true' };
  });
  rewrite(join(dir, 'endpoints.yaml'), (object) => {
    for (const endpoint of object.endpoints ?? []) if (endpoint.nodeName === 'node-2') endpoint.nodeName = 'node-3';
  });
}

/** Manifests are edited as plain JSON-shaped data. */
type Manifest = Record<string, any>;

function rewrite(file: string, edit: (object: Manifest) => void): void {
  const documents = parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Manifest);
  for (const object of documents) edit(object);
  writeFileSync(file, documents.map((object) => stringify(object)).join('---\n'));
}

function reflectorTable(reflector: Speaker): VipTable {
  const table: VipTable = new Map();
  for (const entry of reflector.locRib('ipv4-unicast')) {
    const hops = [...new Set(entry.paths.flatMap((path) => path.nextHops))].sort(compareAddresses);
    if (hops.length > 0) table.set(entry.prefix, hops);
  }
  return new Map([...table].sort(([a], [b]) => compareAddresses(a, b)));
}

/** Waits until every node's session is up and the reflector's table has stopped changing. */
async function settled(reflector: Speaker): Promise<VipTable> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last = '';
  let stableSince = Date.now();
  for (;;) {
    const up = reflector.neighbors().every((peer) => peer.state === 'Established');
    const table = reflectorTable(reflector);
    const text = JSON.stringify([...table]);
    if (text !== last) {
      last = text;
      stableSince = Date.now();
    }
    if (up && table.size > 0 && Date.now() - stableSince >= 1_500) return table;
    if (Date.now() > deadline) throw new Error(`the reflector's table did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function printTable(table: VipTable, nodeAddresses: Map<string, string>, print: (line: string) => void): void {
  const names = new Map([...nodeAddresses].map(([node, address]) => [address, node]));
  print(`  ${'VIP'.padEnd(20)} NEXT HOPS`);
  for (const [prefix, hops] of table) {
    print(`  ${prefix.padEnd(20)} ${hops.map((hop) => `${hop} (${names.get(hop) ?? '?'})`).join(', ')}`);
  }
}

function differences(before: VipTable, after: VipTable, nodeAddresses: Map<string, string>): string[] {
  const names = new Map([...nodeAddresses].map(([node, address]) => [address, node]));
  const lines: string[] = [];
  for (const prefix of [...new Set([...before.keys(), ...after.keys()])].sort(compareAddresses)) {
    const was = new Set(before.get(prefix) ?? []);
    const now = new Set(after.get(prefix) ?? []);
    const gone = [...was].filter((hop) => !now.has(hop)).map((hop) => `-${hop} (${names.get(hop)})`);
    const came = [...now].filter((hop) => !was.has(hop)).map((hop) => `+${hop} (${names.get(hop)})`);
    if (gone.length + came.length > 0) lines.push(`${prefix.padEnd(20)} ${[...gone, ...came].join(', ')}`);
  }
  return lines.length > 0 ? lines : ['nothing'];
}

function compareAddresses(a: string, b: string): number {
  const key = (text: string) => text.split(/[./]/).map((part) => part.padStart(3, '0')).join('.');
  return key(a).localeCompare(key(b));
}
