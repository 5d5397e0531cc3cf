/**
 * What every long-running command has besides its work: a JSON logger, the metrics registry, the
 * /metrics, /healthz and /readyz server when an address is given, and a wait for SIGTERM or SIGINT.
 */
import type { Logger } from '../../engine/speaker.ts';
import { createLogger, engineLogger, type PinoLogger } from '../ops/logger.ts';
import { createMetrics, type Metrics } from '../ops/metrics.ts';
import { startOpsServer } from '../ops/ops-server.ts';

export interface OperationsOptions {
  component: string;
  logLevel: string;
  /** Which wire codec the engine runs: `native` or `ts`. */
  implementation: string;
  /** `host:port` for the HTTP endpoints; none: not served. */
  address?: string;
}

export interface Operations {
  log: Logger;
  /** The same log with levels, for parts that log that way. */
  logger: PinoLogger;
  metrics: Metrics;
  /** What /readyz answers from now on. */
  setReady(ready: () => boolean): void;
  /** Resolves on the first SIGTERM or SIGINT. */
  untilSignal(): Promise<string>;
  close(): Promise<void>;
}

export async function startOperations(options: OperationsOptions): Promise<Operations> {
  const logger = createLogger({ component: options.component, level: options.logLevel });
  const log = engineLogger(logger);
  const metrics = createMetrics();
  metrics.setEngineInfo(options.implementation, 0);
  let ready: () => boolean = () => false;
  const server =
    options.address === undefined
      ? undefined
      : await startOpsServer({ ...hostPort(options.address), registry: metrics.registry, ready: () => ready() });
  if (server !== undefined) log({ event: 'ops-server', address: options.address, port: server.port });
  // Sessions and timers do not all keep the process alive; it runs until told to stop.
  const alive = setInterval(() => {}, 1 << 30);
  return {
    log,
    logger,
    metrics,
    setReady(next) {
      ready = next;
    },
    untilSignal: () =>
      new Promise((resolve) => {
        const done = (signal: string) => {
          log({ event: 'stopping', why: signal });
          resolve(signal);
        };
        process.once('SIGTERM', () => done('SIGTERM'));
        process.once('SIGINT', () => done('SIGINT'));
      }),
    async close() {
      clearInterval(alive);
      await server?.close();
    },
  };
}

function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port < 0 || port > 0xffff) throw new Error(`${address} is not host:port`);
  return { host: host === '' ? '0.0.0.0' : host, port };
}
