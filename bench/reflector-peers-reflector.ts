/**
 * The reflector benchmark's subject, a process of its own: Porter's Speaker as a route reflector
 * (RFC 4456) listening on 127.0.0.1, with N passive iBGP peers, each a reflection client, hold time
 * as ordered. Between `go` and `stats` it measures its own CPU, heap and event-loop delay; its peak
 * RSS is the process's. The codec is the engine's choice (`PORTER_IMPL`). Driven by
 * bench/reflector-peers.ts over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Speaker } from '../engine/speaker.ts';
import { selectCodec } from '../engine/wire/index.ts';
import { reflectorChannel } from './reflector-peers-channel.ts';
import { peerAddress, type ReflectorCommand, type ReflectorReport, type ReflectorStats } from './reflector-peers-protocol.ts';

const ROUTER_ID = '192.0.2.1';
/** Event-loop delay resolution: stalls shorter than this are not resolved. */
const LOOP_RESOLUTION_MS = 10;
const HEAP_SAMPLE_MS = 100;

const channel = reflectorChannel();
const send = (report: ReflectorReport) => channel.send(report);

let speaker: Speaker | undefined;
const codec = selectCodec().codec;
const errors: string[] = [];
let established = 0;
let cpuStart = process.cpuUsage();
let peakHeap = 0;
let heapTimer: NodeJS.Timeout | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

async function setup(peers: number, asn: number, holdTime: number): Promise<void> {
  speaker = new Speaker(
    {
      asn,
      routerId: ROUTER_ID,
      clusterId: ROUTER_ID,
      listen: [{ address: '127.0.0.1', port: 0 }],
      peers: Array.from({ length: peers }, (_, index) => ({
        address: peerAddress(index),
        asn,
        passive: true,
        rrClient: true,
        holdTime,
      })),
      routes: [],
    },
    { codec },
  );
  speaker.on('peer-up', () => established++);
  speaker.on('peer-down', ({ peer, error }) => {
    if (errors.length < 10) errors.push(`${peer}: ${error}`);
  });
  try {
    await speaker.start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EMFILE' || code === 'ENFILE' ? ' (out of file descriptors: raise `ulimit -n`)' : '';
    throw new Error(`the reflector cannot listen on 127.0.0.1: ${(error as Error).message}${hint}`);
  }
  send({ type: 'ready', port: speaker.listening[0].port, codec: codec.name });
}

function sampleHeap(): void {
  peakHeap = Math.max(peakHeap, v8.getHeapStatistics().used_heap_size);
}

function go(): void {
  cpuStart = process.cpuUsage();
  loopDelay.enable();
  heapTimer = setInterval(sampleHeap, HEAP_SAMPLE_MS);
}

function stats(): ReflectorStats {
  loopDelay.disable();
  clearInterval(heapTimer);
  sampleHeap();
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: peakHeap,
    loopDelayMaxMs: loopDelay.max / 1e6,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    established,
    errors,
  };
}

channel.onMessage((command: ReflectorCommand) => {
  const run = async () => {
    if (command.type === 'setup') await setup(command.peers, command.asn, command.holdTime);
    else if (command.type === 'go') go();
    else if (command.type === 'stats') send({ type: 'stats', stats: stats() });
  };
  run().catch((error: Error) => {
    send({ type: 'failed', error: error.message });
    process.exit(1);
  });
});
channel.onDisconnect(() => channel.exit());
