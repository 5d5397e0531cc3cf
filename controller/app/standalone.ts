/**
 * `porter run --manifests DIR --node NAME`: the controller and one node's speaker in one process,
 * reading Service, EndpointSlice, Node, Namespace, Secret, Eip, BgpConf and BgpPeer from manifest
 * files instead of the API server, and writing what status it would write to a status file. The
 * reconcilers are the cluster's own; only the source and the writer differ.
 */
import type { Logger } from '../../engine/speaker.ts';
import { IpamController } from '../reconcilers/ipam-controller.ts';
import { startManifestSource } from '../runtime/manifest-source.ts';
import { ManifestWriter } from '../runtime/manifest-writer.ts';
import { MemoryStore } from '../runtime/memory-store.ts';
import { NodeSpeaker } from '../speaker/node-speaker.ts';
import type { Metrics } from '../ops/metrics.ts';

export interface StandaloneOptions {
  manifests: string;
  node: string;
  /** Where the status goes; none: not written. */
  statusFile?: string;
  /** Serve every LoadBalancer Service that names no other class (true unless told otherwise). */
  isDefault: boolean;
  logger: Logger;
  metrics?: Metrics;
  /** Passed to the node's engine Speaker (a codec, a clock). */
  speakerOptions?: ConstructorParameters<typeof NodeSpeaker>[0]['speakerOptions'];
}

export interface Standalone {
  store: MemoryStore;
  controller: IpamController;
  speaker: NodeSpeaker;
  /** Reads the manifests again now, rather than on the next change or rescan. */
  rescan(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const { logger } = options;
  const store = new MemoryStore();
  const writer = new ManifestWriter(store, options.statusFile !== undefined ? { statusFile: options.statusFile } : {});
  const source = await startManifestSource(options.manifests, store, {
    onProblem: (problem) => {
      logger({ event: 'manifest-problem', ...problem });
      void writer.manifestProblem(problem);
    },
  });
  const controller = new IpamController({
    store,
    writer,
    isDefault: options.isDefault,
    logger,
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  });
  controller.start();
  const speaker = new NodeSpeaker({
    nodeName: options.node,
    store,
    writer,
    isDefault: options.isDefault,
    logger,
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
    ...(options.speakerOptions !== undefined ? { speakerOptions: options.speakerOptions } : {}),
  });
  await speaker.start();
  return {
    store,
    controller,
    speaker,
    rescan: () => source.rescan(),
    async stop() {
      await source.stop();
      await controller.stop();
      await speaker.stop({ graceful: true });
      await writer.flush();
    },
  };
}
