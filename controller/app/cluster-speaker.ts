/**
 * `porter speaker`: one node's BGP speaker against the Kubernetes API (a DaemonSet on the host
 * network). It watches only what a node needs: its own Node, Services and EndpointSlices, the BGP
 * resources, and the Secrets that hold peer passwords.
 */
import type { Logger, SpeakerOptions } from '../../engine/speaker.ts';
import type { PinoLogger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { requireKubeConfig } from '../runtime/kube-config.ts';
import { startKubeSource } from '../runtime/kube-source.ts';
import { KubeWriter } from '../runtime/kube-writer.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import { NodeSpeaker } from '../speaker/node-speaker.ts';

/** Only Secrets with this label are watched, so the speaker needs no read access to every Secret. */
export const PASSWORD_SECRET_LABEL = 'porter.io/bgp-password';

export interface ClusterSpeakerOptions {
  kubeconfig?: string;
  node: string;
  isDefault: boolean;
  logger: Logger;
  /** The same log, for the Kubernetes parts, which log with levels. */
  leveledLogger: PinoLogger;
  metrics: Metrics;
  speakerOptions?: SpeakerOptions;
}

export interface ClusterSpeaker {
  speaker: NodeSpeaker;
  synced(): boolean;
  stop(): Promise<void>;
}

export async function startClusterSpeaker(options: ClusterSpeakerOptions): Promise<ClusterSpeaker> {
  const { logger, metrics } = options;
  const kc = requireKubeConfig(options.kubeconfig);
  const store = new MemoryStore();
  const source = startKubeSource({
    kc,
    store,
    logger: options.leveledLogger,
    kinds: [
      { kind: 'Node', fieldSelector: `metadata.name=${options.node}` },
      { kind: 'Service' },
      { kind: 'EndpointSlice' },
      { kind: 'BgpConf' },
      { kind: 'BgpPeer' },
      { kind: 'Secret', labelSelector: PASSWORD_SECRET_LABEL },
    ],
  });
  const writer = new KubeWriter({ kc, store, reportingInstance: options.node });
  await source.ready;
  const speaker = new NodeSpeaker({
    nodeName: options.node,
    store,
    writer,
    isDefault: options.isDefault,
    logger,
    metrics,
    ...(options.speakerOptions !== undefined ? { speakerOptions: options.speakerOptions } : {}),
  });
  await speaker.start();
  return {
    speaker,
    synced: () => true,
    async stop() {
      await speaker.stop({ graceful: true });
      await source.stop();
    },
  };
}
