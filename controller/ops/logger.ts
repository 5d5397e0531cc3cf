/**
 * Structured JSON logs (pino), one line per event, for `kubectl logs` and log shippers. Each
 * process part logs under a `component` name; the level comes from the caller or
 * `PORTER_LOG_LEVEL`. The BGP engine logs through its own small `Logger` function type, which
 * `engineLogger` maps onto pino with a level per engine event.
 */
import { pino, type DestinationStream, type Level, type Logger as PinoLogger } from 'pino';
import type { Logger as EngineLogger } from '../../engine/speaker.ts';

export type LogLevel = Level | 'silent';

export type { PinoLogger };

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  /** The part of Porter that logs (`controller`, `speaker`, `ipam`...); every line carries it. */
  component: string;
  /** Overrides `PORTER_LOG_LEVEL`; default info. */
  level?: string;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
  /** The environment to read `PORTER_LOG_LEVEL` from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The level to log at: the option, else `PORTER_LOG_LEVEL`, else info; an unknown name is an error. */
export function resolveLogLevel(
  level: string | undefined,
  env: Record<string, string | undefined>,
): { ok: true; value: LogLevel } | { ok: false; error: string } {
  const wanted = (level ?? env.PORTER_LOG_LEVEL ?? 'info').trim().toLowerCase();
  if ((LEVELS as readonly string[]).includes(wanted)) return { ok: true, value: wanted as LogLevel };
  return { ok: false, error: `unknown log level "${wanted}" (one of ${LEVELS.join(', ')})` };
}

/**
 * A JSON logger for one component: `{"level":"info","time":"...","component":"...","msg":"..."}`.
 * An unknown level logs at info and says so in a warning, rather than failing the process.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const level = resolveLogLevel(options.level, options.env ?? process.env);
  const logger = pino(
    {
      level: level.ok ? level.value : 'info',
      base: { component: options.component },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names rather than pino's numbers: the lines are read by people as much as by tools.
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
  if (!level.ok) logger.warn({ event: 'log-level-invalid' }, level.error);
  return logger;
}

/** Engine events that are worth more than info; the rest are info, or debug when routine. */
const ENGINE_LEVELS: Record<string, Level> = {
  error: 'error',
  'connection-error': 'warn',
  'max-prefix': 'warn',
  'family-disabled': 'warn',
  down: 'warn',
  'restart-timer-expired': 'warn',
  'connection-refused': 'debug',
  'end-of-rib': 'debug',
  'route-refresh': 'debug',
  'stale-path-timer': 'debug',
};

/** The level an engine event is logged at. */
export function engineEventLevel(event: string): Level {
  return ENGINE_LEVELS[event] ?? 'info';
}

/** The engine's `Logger` (`speaker.ts`) writing into a pino logger; the event name is the message. */
export function engineLogger(logger: PinoLogger): EngineLogger {
  return (entry) => {
    logger[engineEventLevel(entry.event)](entry, entry.event);
  };
}
