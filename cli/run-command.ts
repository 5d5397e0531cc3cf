/**
 * `porter run --manifests DIR --node NAME`: the controller and one node's speaker in one process,
 * configured by manifest files (watched for changes) instead of the Kubernetes API.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';
import { addPoolOptions, startPool, type PoolOptions } from './pool-options.ts';

interface RunOptions extends PoolOptions {
  manifests: string;
  node: string;
  status?: string;
  defaultClass: boolean;
  metricsAddress?: string;
  logLevel: string;
}

async function run(options: RunOptions): Promise<void> {
  const { startOperations } = await import('../controller/app/operations.ts');
  const { startStandalone } = await import('../controller/app/standalone.ts');
  const selection = selectCodec();
  const { pool, description } = startPool(options);
  const operations = await startOperations({
    component: 'porter-run',
    logLevel: options.logLevel,
    implementation: selection.codec.name,
    ...(options.metricsAddress !== undefined ? { address: options.metricsAddress } : {}),
  });
  operations.metrics.setEngineInfo(selection.codec.name, pool.info().threads);
  const { log } = operations;
  log({ event: 'startup', codec: describeSelection(selection), pool: description, manifests: resolve(options.manifests), node: options.node, pid: process.pid });
  const standalone = await startStandalone({
    manifests: options.manifests,
    node: options.node,
    ...(options.status !== undefined ? { statusFile: options.status } : {}),
    isDefault: options.defaultClass,
    logger: log,
    metrics: operations.metrics,
    speakerOptions: { codec: selection.codec, pool },
  });
  operations.setReady(() => true);
  await operations.untilSignal();
  await standalone.stop();
  await pool.close();
  await operations.close();
}

export function runCommand(): Command {
  return addPoolOptions(new Command('run'))
    .description('run the controller and one node\'s speaker from manifest files, without a cluster')
    .requiredOption('--manifests <dir>', 'directory of YAML manifests (Service, EndpointSlice, Node, Namespace, Secret, Eip, BgpConf, BgpPeer), watched for changes')
    .requiredOption('--node <name>', 'the Node of the manifests this process speaks for; its InternalIP is the next hop')
    .option('--status <file>', 'write the status the controller and speaker would write (JSON) to this file')
    .option('--no-default-class', 'serve only Services that name Porter (class porter.io/bgp or the OpenELB annotation)')
    .addOption(new Option('--metrics-address <host:port>', 'serve /metrics, /healthz and /readyz here'))
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error']).default(process.env.PORTER_LOG_LEVEL ?? 'info'))
    .action((options: RunOptions) => run(options));
}
