/**
 * `porter controller`: IP address management against the Kubernetes API. Every replica keeps its
 * store warm (list+watch); only the holder of the Lease reconciles, so a stand-by takes over within
 * the lease duration with nothing to load. Allocations live in the API, so the new leader rebuilds
 * them from Service status before it allocates anything.
 */
import type { Logger } from '../../engine/speaker.ts';
import type { PinoLogger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { IpamController, IPAM_KINDS } from '../reconcilers/ipam-controller.ts';
import { requireKubeConfig } from '../runtime/kube-config.ts';
import { startKubeSource } from '../runtime/kube-source.ts';
import { KubeWriter } from '../runtime/kube-writer.ts';
import { startLeaderElection } from '../runtime/leader-election.ts';
import { MemoryStore } from '../runtime/memory-store.ts';

export interface ClusterControllerOptions {
  kubeconfig?: string;
  /** Namespace of the Lease (the controller's own). */
  namespace: string;
  /** Name of the Lease. */
  leaseName: string;
  identity: string;
  isDefault: boolean;
  leaseDurationSeconds?: number;
  logger: Logger;
  /** The same log, for the Kubernetes parts, which log with levels. */
  leveledLogger: PinoLogger;
  metrics: Metrics;
  /** Called when this replica stops leading: the process should exit and be restarted. */
  onLostLease(): void;
}

export interface ClusterController {
  isLeader(): boolean;
  /** The store has listed every kind it watches. */
  synced(): boolean;
  stop(): Promise<void>;
}

export async function startClusterController(options: ClusterControllerOptions): Promise<ClusterController> {
  const { logger, metrics } = options;
  const kc = requireKubeConfig(options.kubeconfig);
  const store = new MemoryStore();
  const source = startKubeSource({ kc, store, kinds: IPAM_KINDS.map((kind) => ({ kind })), logger: options.leveledLogger });
  const writer = new KubeWriter({ kc, store, reportingInstance: options.identity });
  let controller: IpamController | undefined;
  let synced = false;
  void source.ready.then(() => {
    synced = true;
  });
  const election = startLeaderElection(
    {
      kc,
      namespace: options.namespace,
      name: options.leaseName,
      identity: options.identity,
      logger: options.leveledLogger,
      ...(options.leaseDurationSeconds !== undefined ? { leaseDurationSeconds: options.leaseDurationSeconds } : {}),
    },
    {
      onStartedLeading: () => {
        metrics.setLeader(options.identity, true);
        logger({ event: 'leading', identity: options.identity });
        void source.ready.then(() => {
          if (!election.isLeader()) return;
          controller = new IpamController({ store, writer, isDefault: options.isDefault, logger, metrics });
          controller.start();
        });
      },
      onStoppedLeading: () => {
        metrics.setLeader(options.identity, false);
        logger({ event: 'lost-lease', identity: options.identity });
        void controller?.stop();
        options.onLostLease();
      },
      onNewLeader: (identity) => logger({ event: 'leader', identity }),
    },
  );
  return {
    isLeader: () => election.isLeader(),
    synced: () => synced,
    async stop() {
      await controller?.stop();
      await election.stop();
      await source.stop();
    },
  };
}
