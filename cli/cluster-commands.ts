/**
 * `porter controller` and `porter speaker`: the two components a cluster runs, the controller as a
 * Deployment (IP address management, one leader) and the speaker as a DaemonSet (BGP, one per node).
 */
import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';
import { addPoolOptions, startPool, type PoolOptions } from './pool-options.ts';

interface CommonOptions {
  kubeconfig?: string;
  defaultClass: boolean;
  metricsAddress: string;
  logLevel: string;
}

function common(command: Command, metricsPort: number): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig to use; default: KUBECONFIG, then the in-cluster service account')
    .option('--default-class', 'also serve LoadBalancer Services that name no load balancer class', false)
    .addOption(new Option('--metrics-address <host:port>', 'serve /metrics, /healthz and /readyz here').default(`0.0.0.0:${metricsPort}`))
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error']).default(process.env.PORTER_LOG_LEVEL ?? 'info'));
}

// The Kubernetes client loads only for the commands that use it, so `porter wire` starts fast.
async function runController(options: CommonOptions & { leaseNamespace: string; leaseName: string; identity: string }): Promise<void> {
  const { startOperations } = await import('../controller/app/operations.ts');
  const { startClusterController } = await import('../controller/app/cluster-controller.ts');
  const selection = selectCodec();
  const operations = await startOperations({ component: 'porter-controller', logLevel: options.logLevel, implementation: selection.codec.name, address: options.metricsAddress });
  const { log } = operations;
  log({ event: 'startup', codec: describeSelection(selection), identity: options.identity, pid: process.pid });
  const controller = await startClusterController({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    namespace: options.leaseNamespace,
    leaseName: options.leaseName,
    identity: options.identity,
    isDefault: options.defaultClass,
    logger: log,
    leveledLogger: operations.logger,
    metrics: operations.metrics,
    // A replica that lost the lease may hold stale state: exit and come back as a clean stand-by.
    onLostLease: () => process.kill(process.pid, 'SIGTERM'),
  });
  operations.setReady(() => controller.synced());
  await operations.untilSignal();
  await controller.stop();
  await operations.close();
}

async function runSpeaker(options: CommonOptions & PoolOptions & { node: string }): Promise<void> {
  const { startOperations } = await import('../controller/app/operations.ts');
  const { startClusterSpeaker } = await import('../controller/app/cluster-speaker.ts');
  const selection = selectCodec();
  const { pool, description } = startPool(options);
  const operations = await startOperations({ component: 'porter-speaker', logLevel: options.logLevel, implementation: selection.codec.name, address: options.metricsAddress });
  operations.metrics.setEngineInfo(selection.codec.name, pool.info().threads);
  const { log } = operations;
  log({ event: 'startup', codec: describeSelection(selection), pool: description, node: options.node, pid: process.pid });
  const speaker = await startClusterSpeaker({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    node: options.node,
    isDefault: options.defaultClass,
    logger: log,
    leveledLogger: operations.logger,
    metrics: operations.metrics,
    speakerOptions: { codec: selection.codec, pool },
  });
  operations.setReady(() => speaker.synced());
  await operations.untilSignal();
  await speaker.stop();
  await pool.close();
  await operations.close();
}

export function controllerCommand(): Command {
  return common(new Command('controller').description('allocate load balancer addresses from Eip pools (run as a Deployment; one replica leads)'), 7472)
    .addOption(new Option('--lease-namespace <ns>', 'namespace of the leader election Lease').env('POD_NAMESPACE').default('porter-system'))
    .option('--lease-name <name>', 'name of the leader election Lease', 'porter-controller')
    .addOption(new Option('--identity <id>', 'this replica\'s name in the Lease').env('POD_NAME').default(hostname()))
    .action((options) => runController(options));
}

export function speakerCommand(): Command {
  return addPoolOptions(common(new Command('speaker').description('announce the load balancer addresses of this node over BGP (run as a DaemonSet)'), 7473))
    .addOption(new Option('--node <name>', 'the Node this speaker runs on').env('NODE_NAME').makeOptionMandatory())
    .action((options) => runSpeaker(options));
}
