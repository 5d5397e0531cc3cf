import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, engineEventLevel, engineLogger, resolveLogLevel } from './logger.ts';

function sink(): { lines: Record<string, unknown>[]; write(chunk: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (chunk) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) };
}

describe('resolveLogLevel', () => {
  const cases: [string | undefined, string | undefined, string | undefined][] = [
    [undefined, undefined, 'info'],
    [undefined, 'debug', 'debug'],
    ['warn', 'debug', 'warn'],
    [' TRACE ', undefined, 'trace'],
    ['silent', undefined, 'silent'],
    ['loud', undefined, undefined],
    [undefined, 'verbose', undefined],
  ];
  for (const [option, env, expected] of cases) {
    it(`option ${option}, PORTER_LOG_LEVEL ${env} -> ${expected ?? 'error'}`, () => {
      const result = resolveLogLevel(option, { PORTER_LOG_LEVEL: env });
      if (expected === undefined) assert.equal(result.ok, false);
      else assert.deepEqual(result, { ok: true, value: expected });
    });
  }
});

describe('createLogger', () => {
  it('writes JSON lines with the level name, an ISO time and the component', () => {
    const destination = sink();
    const logger = createLogger({ component: 'ipam', destination, env: {} });
    logger.info({ pool: 'default' }, 'allocated');
    logger.debug('hidden at info');
    assert.equal(destination.lines.length, 1);
    const [line] = destination.lines;
    assert.equal(line.level, 'info');
    assert.equal(line.component, 'ipam');
    assert.equal(line.pool, 'default');
    assert.equal(line.msg, 'allocated');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it('takes the level from PORTER_LOG_LEVEL', () => {
    const destination = sink();
    const logger = createLogger({ component: 'speaker', destination, env: { PORTER_LOG_LEVEL: 'debug' } });
    logger.debug('shown');
    assert.equal(destination.lines.length, 1);
  });

  it('logs at info and warns about an unknown level', () => {
    const destination = sink();
    const logger = createLogger({ component: 'speaker', level: 'loud', destination, env: {} });
    logger.info('shown');
    assert.deepEqual(
      destination.lines.map((line) => [line.level, line.event ?? line.msg]),
      [
        ['warn', 'log-level-invalid'],
        ['info', 'shown'],
      ],
    );
  });
});

describe('engineLogger', () => {
  it('logs each engine event at its level with its fields', () => {
    const destination = sink();
    const log = engineLogger(createLogger({ component: 'speaker', level: 'debug', destination, env: {} }));
    log({ event: 'established', peer: '192.0.2.1' });
    log({ event: 'connection-error', peer: '192.0.2.1', error: 'ECONNREFUSED' });
    log({ event: 'end-of-rib', peer: '192.0.2.1', family: 'ipv4-unicast' });
    log({ event: 'error', peer: '192.0.2.1', error: 'stack' });
    assert.deepEqual(
      destination.lines.map((line) => [line.level, line.msg, line.event, line.peer]),
      [
        ['info', 'established', 'established', '192.0.2.1'],
        ['warn', 'connection-error', 'connection-error', '192.0.2.1'],
        ['debug', 'end-of-rib', 'end-of-rib', '192.0.2.1'],
        ['error', 'error', 'error', '192.0.2.1'],
      ],
    );
  });

  it('maps events to levels', () => {
    const table: [string, string][] = [
      ['started', 'info'],
      ['peer-state', 'info'],
      ['down', 'warn'],
      ['max-prefix', 'warn'],
      ['route-refresh', 'debug'],
      ['error', 'error'],
    ];
    for (const [event, level] of table) assert.equal(engineEventLevel(event), level, event);
  });
});
