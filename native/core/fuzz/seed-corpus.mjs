// Seeds the fuzz corpora under testdata/fuzz/<target>/ from the shared wire test data: the message
// vectors, the malformed-message table and the captured sessions. Each input is one context octet
// (src/lib.rs) followed by the bytes to decode. `node native/core/fuzz/seed-corpus.mjs [out-dir]`
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const wire = join(root, 'testdata', 'wire');
const out = process.argv[2] ?? join(root, 'testdata', 'fuzz');

/** The context octet of src/lib.rs. */
function contextOctet(context = {}) {
  let flags = 0;
  if (context.fourOctetAs === false) flags |= 0x01;
  if (context.extendedMessage) flags |= 0x02;
  if (context.addPath?.includes('ipv4-unicast')) flags |= 0x04;
  if (context.addPath?.includes('ipv6-unicast')) flags |= 0x08;
  return flags;
}

function jsonLines(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** [context, bytes] of every single message in the vectors and the malformed table. */
function singleMessages() {
  const files = readdirSync(join(wire, 'vectors'))
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => join(wire, 'vectors', name));
  files.push(join(wire, 'malformed.jsonl'));
  return files.flatMap((path) => jsonLines(path).map((row) => [row.context, Buffer.from(row.hex, 'hex')]));
}

/** [context, stream] of every capture, and each capture cut into its messages. */
function captures() {
  const dir = join(wire, 'captures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => {
      const meta = join(dir, name.replace(/\.bin$/, '.json'));
      const context = existsSync(meta) ? JSON.parse(readFileSync(meta, 'utf8')).context : {};
      return [context, readFileSync(join(dir, name))];
    });
}

function messagesOf(stream) {
  const messages = [];
  for (let offset = 0; offset + 19 <= stream.length; ) {
    const length = stream.readUInt16BE(offset + 16);
    if (length < 19 || offset + length > stream.length) break;
    messages.push(stream.subarray(offset, offset + length));
    offset += length;
  }
  return messages;
}

/** The UPDATE messages of a stream, back to back, as the bulk decoder gets them. */
const updatesOf = (stream) => Buffer.concat(messagesOf(stream).filter((message) => message[18] === 2));

function write(target, context, bytes) {
  const input = Buffer.concat([Buffer.from([contextOctet(context)]), bytes]);
  const dir = join(out, target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, createHash('sha1').update(input).digest('hex')), input);
}

const singles = singleMessages();
const sessions = captures();
for (const [context, bytes] of singles) {
  write('decode_message', context, bytes);
  write('round_trip', context, bytes);
  write('decode_stream', context, bytes);
  if (bytes[18] === 2) write('decode_routes', context, bytes);
}
for (const [context, stream] of sessions) {
  write('decode_stream', context, stream);
  write('decode_routes', context, updatesOf(stream));
  for (const message of messagesOf(stream)) {
    write('decode_message', context, message);
    write('round_trip', context, message);
  }
}
console.log(`seeded ${out} from ${singles.length} messages and ${sessions.length} captures`);
