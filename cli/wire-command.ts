/**
 * `porter wire decode|encode`: raw BGP messages to JSON lines and back, on either implementation.
 * The JSON is the wire model of engine/wire/types.ts; docs/wire-model.md describes it.
 */
import { Command, Option } from 'commander';
import { selectCodec, type ImplementationChoice } from '../engine/wire/index.ts';
import type { DecodeResult, Message, SessionContext, WireCodec } from '../engine/wire/types.ts';
import { parseHexText, readInput } from './input.ts';

interface ContextOptions {
  addPath?: string;
  as2?: boolean;
  extendedMessage?: boolean;
  impl: ImplementationChoice;
}

const FAMILY_SHORTHANDS: Record<string, string> = { ipv4: 'ipv4-unicast', ipv6: 'ipv6-unicast' };

function contextFrom(options: ContextOptions): SessionContext {
  const addPath = (options.addPath ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => FAMILY_SHORTHANDS[name] ?? name);
  return { fourOctetAs: !options.as2, addPath, extendedMessage: options.extendedMessage ?? false };
}

function withContextOptions(command: Command): Command {
  return command
    .option('--add-path <families>', 'families whose NLRI carry ADD-PATH identifiers (ipv4,ipv6)')
    .option('--as2', 'the peer has no 4-octet AS capability (2-octet AS_PATH and AGGREGATOR)')
    .option('--extended-message', 'extended messages negotiated (RFC 8654): up to 65,535 octets')
    .addOption(new Option('--impl <impl>', 'codec implementation').choices(['auto', 'ts', 'native']).default('auto'))
    .option('--hex', 'bytes as hex text instead of binary');
}

/** One output line per result: the message (with its error when the error is not fatal), or the error alone. */
function resultLine(result: DecodeResult): string {
  if (result.message === undefined) return JSON.stringify({ error: result.error });
  if (result.error === undefined) return JSON.stringify(result.message);
  return JSON.stringify({ ...result.message, error: result.error });
}

function inputError(message: string): string {
  return JSON.stringify({ error: { reason: 'bad-input', message } });
}

async function decode(path: string | undefined, options: ContextOptions & { hex?: boolean }): Promise<number> {
  const codec = selectCodec(options.impl).codec;
  let bytes: Uint8Array;
  try {
    const raw = await readInput(path);
    bytes = options.hex ? parseHexText(raw.toString('utf8')) : raw;
  } catch (error) {
    process.stdout.write(inputError((error as Error).message) + '\n');
    return 1;
  }
  const { results, consumed } = codec.decodeStream(bytes, contextFrom(options));
  const lines = results.map(resultLine);
  const fatal = results.some((result) => result.error !== undefined);
  const truncated = !fatal && consumed < bytes.length;
  if (truncated) {
    lines.push(inputError(`truncated message at offset ${consumed}: ${bytes.length - consumed} octets left`));
  }
  process.stdout.write(lines.map((line) => line + '\n').join(''));
  return fatal || truncated ? 1 : 0;
}

function messageFrom(line: string, lineNumber: number): Message {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`line ${lineNumber}: not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    throw new Error(`line ${lineNumber}: not a message (no "type")`);
  }
  const { error: _decodeError, ...message } = value as Message & { error?: unknown };
  return message as Message;
}

async function encode(path: string | undefined, options: ContextOptions & { hex?: boolean }): Promise<number> {
  const codec: WireCodec = selectCodec(options.impl).codec;
  const context = contextFrom(options);
  const text = (await readInput(path)).toString('utf8');
  const encoded: Uint8Array[] = [];
  let failures = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      encoded.push(codec.encodeMessage(messageFrom(line, index + 1), context));
    } catch (error) {
      failures += 1;
      process.stderr.write(`porter wire encode: ${(error as Error).message}\n`);
    }
  });
  if (options.hex) {
    process.stdout.write(encoded.map((bytes) => Buffer.from(bytes).toString('hex') + '\n').join(''));
  } else {
    process.stdout.write(Buffer.concat(encoded));
  }
  return failures === 0 ? 0 : 1;
}

export function wireCommand(): Command {
  const wire = new Command('wire').description('BGP wire codec: decode raw messages to JSON lines and back');
  wire.addCommand(
    withContextOptions(new Command('decode'))
      .description('print one JSON object per BGP message read from FILE (or standard input)')
      .argument('[file]', 'raw BGP byte stream; - for standard input')
      .action(async (file: string | undefined, options: ContextOptions & { hex?: boolean }) => {
        process.exitCode = await decode(file, options);
      }),
  );
  wire.addCommand(
    withContextOptions(new Command('encode'))
      .description('write the BGP messages of the JSON lines read from FILE (or standard input)')
      .argument('[file]', 'JSON lines as printed by decode; - for standard input')
      .action(async (file: string | undefined, options: ContextOptions & { hex?: boolean }) => {
        process.exitCode = await encode(file, options);
      }),
  );
  return wire;
}
