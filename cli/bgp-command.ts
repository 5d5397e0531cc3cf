/**
 * `porter bgp`: the standalone BGP speaker (`serve`) and the commands that talk to it through its
 * control socket (`neighbors`, `rib`, `announce`, `withdraw`, `request`), each printing JSON.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { controlRequest } from '../engine/control/client.ts';
import type { Request } from '../engine/control/protocol.ts';
import { ControlServer } from '../engine/control/server.ts';
import { Speaker, speakerConfig, type Logger } from '../engine/speaker.ts';
import { describeSelection, selectCodec } from '../engine/wire/index.ts';
import { addPoolOptions, startPool, type PoolOptions } from './pool-options.ts';

/** One JSON object per line on stderr. */
const log: Logger = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

async function serve(options: { config: string; control?: string } & PoolOptions): Promise<void> {
  let speaker: Speaker;
  let started: ReturnType<typeof startPool>;
  const selection = selectCodec();
  try {
    const config = speakerConfig(JSON.parse(await readFile(options.config, 'utf8')));
    started = startPool(options);
    speaker = new Speaker(config, { codec: selection.codec, logger: log, pool: started.pool });
  } catch (error) {
    log({ event: 'config-error', config: options.config, error: (error as Error).message });
    process.exitCode = 2;
    return;
  }
  const { pool } = started;
  log({ event: 'startup', codec: describeSelection(selection), pool: started.description, config: options.config, pid: process.pid });
  // Sessions and timers do not all keep the process alive; the speaker runs until told to stop.
  const alive = setInterval(() => {}, 1 << 30);
  let control: ControlServer | undefined;
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log({ event: 'stopping', why });
    await speaker.stop();
    await control?.close();
    await pool.close();
    clearInterval(alive);
    log({ event: 'exit', code: 0 });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    await speaker.start();
    if (options.control !== undefined) {
      control = new ControlServer(options.control, speaker, {
        onShutdown: () => void stop('shutdown'),
        onError: (error) => log({ event: 'control-error', error: error.message }),
      });
      await control.listen();
      log({ event: 'control', path: options.control });
    }
  } catch (error) {
    log({ event: 'start-error', error: (error as Error).message });
    await speaker.abort();
    await pool.close();
    clearInterval(alive);
    process.exitCode = 1;
  }
}

/** Sends a request, prints its result as JSON; an error goes to stderr with exit code 1. */
async function request(path: string, body: Request): Promise<void> {
  const response = await controlRequest(path, body);
  if (response.ok) {
    process.stdout.write(`${JSON.stringify(response.result, null, 2)}\n`);
  } else {
    process.stderr.write(`error: ${response.error}\n`);
    process.exitCode = 1;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${(error as Error).message}`);
  }
}

const PROTOCOLS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 };

const controlOption = () => new Option('--control <path>', 'the control socket of `porter bgp serve`').makeOptionMandatory();

export function bgpCommand(): Command {
  const bgp = new Command('bgp').description('the BGP speaker and its control socket');
  addPoolOptions(
    bgp
      .command('serve')
      .description('run one BGP speaker; JSON logs on stderr, stops on SIGTERM/SIGINT')
      .requiredOption('--config <file>', 'the speaker configuration (JSON)')
      .option('--control <path>', 'serve the control socket at this path'),
  ).action(serve);
  bgp
    .command('neighbors')
    .description('the peers, their state and counts')
    .addOption(controlOption())
    .action((options: { control: string }) => request(options.control, { op: 'neighbors' }));
  bgp
    .command('rib')
    .description('the Loc-RIB, or a peer\'s Adj-RIB-In or Adj-RIB-Out')
    .addOption(controlOption())
    .option('--family <family>', 'ipv4-unicast or ipv6-unicast', 'ipv4-unicast')
    .addOption(new Option('--table <table>', 'which table').choices(['loc', 'in', 'out']).default('loc'))
    .option('--peer <address>', 'the peer, for the in and out tables')
    .action((options: { control: string; family: string; table: string; peer?: string }) =>
      request(options.control, {
        op: 'rib',
        family: options.family,
        table: options.table,
        ...(options.peer !== undefined ? { peer: options.peer } : {}),
      }),
    );
  bgp
    .command('forwarding')
    .description('the forwarding view: each prefix with the next hops a router installs, and their weights')
    .addOption(controlOption())
    .option('--family <family>', 'ipv4-unicast or ipv6-unicast', 'ipv4-unicast')
    .action((options: { control: string; family: string }) => request(options.control, { op: 'forwarding', family: options.family }));
  bgp
    .command('explain')
    .description('which next hop (node) a flow reaches: its longest prefix, hashed over that prefix\'s next hops')
    .addOption(controlOption())
    .requiredOption('--dst <address>', 'destination address (a VIP)')
    .requiredOption('--src <address>', 'source address')
    .option('--proto <proto>', 'tcp, udp or a protocol number', 'tcp')
    .option('--sport <port>', 'source port', (value) => Number(value), 0)
    .option('--dport <port>', 'destination port', (value) => Number(value), 0)
    .addOption(new Option('--policy <policy>', 'the ECMP policy the router uses').choices(['modulo', 'resilient', 'maglev']).default('maglev'))
    .option('--l3', 'hash on the addresses only, not the 5-tuple')
    .option('--seed <seed>', 'hash seed', (value) => Number(value), 0)
    .action((options: { control: string; dst: string; src: string; proto: string; sport: number; dport: number; policy: string; l3?: boolean; seed: number }) =>
      request(options.control, {
        op: 'explain',
        src: options.src,
        dst: options.dst,
        proto: PROTOCOLS[options.proto] ?? Number(options.proto),
        sport: options.sport,
        dport: options.dport,
        policy: options.policy,
        fields: options.l3 ? 'l3' : 'five-tuple',
        seed: options.seed,
      }),
    );
  bgp
    .command('announce')
    .description('originate a route (or the routes of --routes)')
    .addOption(controlOption())
    .option('--prefix <prefix>', 'the prefix')
    .option('--next-hop <address>', 'its next hop; our session address when absent')
    .option('--path-id <id>', 'its path identifier', (value) => Number(value))
    .option('--attributes <json>', 'wire-model path attributes, a JSON list')
    .option('--routes <json>', 'routes as in the configuration, a JSON list')
    .action(async (options: { control: string; prefix?: string; nextHop?: string; pathId?: number; attributes?: string; routes?: string }) => {
      const routes =
        options.routes !== undefined
          ? parseJson(options.routes, '--routes')
          : [
              {
                prefix: options.prefix,
                ...(options.nextHop !== undefined ? { nextHop: options.nextHop } : {}),
                ...(options.pathId !== undefined ? { pathId: options.pathId } : {}),
                ...(options.attributes !== undefined ? { attributes: parseJson(options.attributes, '--attributes') } : {}),
              },
            ];
      await request(options.control, { op: 'announce', routes });
    });
  bgp
    .command('withdraw')
    .description('withdraw a route we originate')
    .addOption(controlOption())
    .requiredOption('--prefix <prefix>', 'the prefix')
    .option('--path-id <id>', 'its path identifier', (value) => Number(value))
    .action((options: { control: string; prefix: string; pathId?: number }) =>
      request(options.control, {
        op: 'withdraw',
        routes: [{ prefix: options.prefix, ...(options.pathId !== undefined ? { pathId: options.pathId } : {}) }],
      }),
    );
  bgp
    .command('request')
    .description('send any control request, given as JSON')
    .addOption(controlOption())
    .argument('<json>', 'the request, for instance {"op":"peer-disable","address":"192.0.2.2"}')
    .action((json: string, options: { control: string }) => request(options.control, parseJson(json, 'the request') as Request));
  return bgp;
}
