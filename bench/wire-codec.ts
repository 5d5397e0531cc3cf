/**
 * Bulk wire codec benchmark: `encodeRoutes` and `decodeRoutes` of the TypeScript and native codecs on
 * the same route sets, side by side, against memcpy of the same octets. bench/README.md explains it.
 *
 *   node --expose-gc --import tsx bench/wire-codec.ts [--runs N] [--quick] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { benchOptions } from './options.ts';
import { selectCodec, tsCodec } from '../engine/wire/index.ts';
import type { AttributeSet, RouteDecodeResult, WireCodec } from '../engine/wire/types.ts';
import { describeEnvironment, environmentLine } from './environment.ts';
import { copySamples, currentChecksum, gcExposed, keep, median, timeRun } from './measure.ts';
import {
  renderWarnings, renderWireCodecResults,
  type CodecName, type CodecTiming, type Timing, type WireCaseResult, type WireCodecResults,
} from './wire-codec-results.ts';
import { buildAttributeSets, buildRouteColumns, routeSetCases, type RouteSetCase } from './wire-route-sets.ts';

const RUN_ORDER =
  'per case: one untimed warm-up encode and decode per codec (which also feeds the checks), then N rounds; each round ' +
  'builds new attribute sets (the same shapes and sizes, other MED values, so no codec can reuse work from an earlier ' +
  'run), times encodeRoutes of every codec, then decodeRoutes of that round\'s ts encoding by every codec, ts first in ' +
  'even rounds and native first in odd rounds; the copies are timed after the rounds, alternating memcpy and memcpy ' +
  'into a new buffer; garbage is collected before every timed run when --expose-gc is given';




/** Both codecs, through the selection the engine uses, so the native one is the one it would run. */
function loadCodecs(): { codecs: WireCodec[]; native: WireCodecResults['native'] } {
  try {
    return { codecs: [tsCodec, selectCodec('native').codec], native: { available: true } };
  } catch (error) {
    return { codecs: [tsCodec], native: { available: false, error: (error as Error).message } };
  }
}

function runCase(routeSetCase: RouteSetCase, codecs: WireCodec[], runs: number): WireCaseResult {
  const routes = buildRouteColumns(routeSetCase);
  const attributeSets = buildAttributeSets(routeSetCase, 0);
  const warnings: string[] = [];

  const warmUp = new Map<CodecName, { encoded: Uint8Array; decoded: RouteDecodeResult }>();
  for (const codec of codecs) {
    const encoded = codec.encodeRoutes(routes, attributeSets);
    const decoded = codec.decodeRoutes(encoded);
    warmUp.set(codec.name, { encoded, decoded });
    warnings.push(...roundTripProblems(codec.name, routeSetCase, attributeSets, encoded, decoded));
  }
  const reference = warmUp.get('ts')!.encoded;
  const native = warmUp.get('native');
  let identical: WireCaseResult['identical'];
  if (native) {
    identical = {
      encode: Buffer.compare(reference, native.encoded) === 0,
      decode: sameDecoding(warmUp.get('ts')!.decoded, native.decoded),
    };
    if (!identical.decode) warnings.push('decodeRoutes of the same bytes gives different results');
  }
  warmUp.clear();

  const samples = new Map(codecs.map((codec) => [codec.name, { encode: [] as number[], decode: [] as number[] }]));
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? codecs : [...codecs].reverse();
    const sets = buildAttributeSets(routeSetCase, round + 1);
    const encodings = new Map<CodecName, Uint8Array>();
    for (const codec of order) {
      const encode = () => codec.encodeRoutes(routes, sets);
      samples.get(codec.name)!.encode.push(timeRun(encode, (bytes) => {
        encodings.set(codec.name, bytes);
        return bytes.length + bytes[bytes.length - 1];
      }));
    }
    const input = encodings.get('ts')!;
    const nativeEncoding = encodings.get('native');
    if (identical && nativeEncoding) identical.encode &&= Buffer.compare(input, nativeEncoding) === 0;
    encodings.clear();
    for (const codec of order) {
      const decode = () => codec.decodeRoutes(input);
      samples.get(codec.name)!.decode.push(timeRun(decode, (decoded) => decoded.routes.count + decoded.attributeSets.length));
    }
  }
  if (identical && !identical.encode) warnings.push('encodeRoutes bytes differ between the codecs');

  const octets = reference.length;
  const copies = copySamples(reference, runs);
  const timing = (runSamples: number[]): CodecTiming => ({
    ...octetTiming(runSamples, octets),
    prefixesPerSecond: routes.count / (median(runSamples) / 1e9),
  });
  const codecResults: WireCaseResult['codecs'] = {};
  for (const [name, { encode, decode }] of samples) codecResults[name] = { encode: timing(encode), decode: timing(decode) };

  return {
    name: routeSetCase.name,
    family: routeSetCase.family,
    routeCount: routeSetCase.routeCount,
    setCount: routeSetCase.setCount,
    updateOctets: octets,
    messages: countMessages(reference),
    identical,
    warnings,
    memcpy: octetTiming(copies.memcpy, octets),
    memcpyNewBuffer: octetTiming(copies.newBuffer, octets),
    codecs: codecResults,
  };
}

function octetTiming(samplesNs: number[], octets: number): Timing {
  const medianNs = median(samplesNs);
  return { samplesNs, medianNs, megabytesPerSecond: octets / 1e6 / (medianNs / 1e9) };
}

/**
 * What a correct round trip of the case must give: every route back, no error, and the sets as they
 * went in, since UPDATEs go out by set index and the decoder interns sets in order of appearance.
 */
function roundTripProblems(
  codec: CodecName,
  routeSetCase: RouteSetCase,
  attributeSets: AttributeSet[],
  encoded: Uint8Array,
  decoded: RouteDecodeResult,
): string[] {
  const problems: string[] = [];
  const usedSets = attributeSets.slice(0, routeSetCase.routeCount);
  if (decoded.routes.count !== routeSetCase.routeCount) problems.push(`${codec} decoded ${decoded.routes.count} of ${routeSetCase.routeCount} routes`);
  if (JSON.stringify(decoded.attributeSets) !== JSON.stringify(usedSets)) {
    problems.push(`${codec} decoded ${decoded.attributeSets.length} attribute sets unlike the ${usedSets.length} encoded`);
  }
  if (decoded.errors.length > 0) problems.push(`${codec} reported ${decoded.errors.length} errors, first: ${decoded.errors[0].error.reason}`);
  if (decoded.consumed !== encoded.length) problems.push(`${codec} consumed ${decoded.consumed} of ${encoded.length} octets`);
  return problems;
}

function sameDecoding(a: RouteDecodeResult, b: RouteDecodeResult): boolean {
  const columns = ['family', 'prefixLength', 'address', 'pathId', 'attributeSet'] as const;
  const octets = (array: Uint8Array | Uint32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return (
    a.routes.count === b.routes.count &&
    columns.every((column) => Buffer.compare(octets(a.routes[column]), octets(b.routes[column])) === 0) &&
    JSON.stringify([a.attributeSets, a.endOfRib, a.errors, a.consumed]) ===
      JSON.stringify([b.attributeSets, b.endOfRib, b.errors, b.consumed])
  );
}

/** Walks the 19-octet headers (RFC 4271 section 4.1): the length field is at offset 16. */
function countMessages(bytes: Uint8Array): number {
  let messages = 0;
  for (let offset = 0; offset + 19 <= bytes.length; messages++) {
    const length = (bytes[offset + 16] << 8) | bytes[offset + 17];
    if (length < 19) break;
    offset += length;
  }
  return messages;
}

function main(): void {
  const options = benchOptions('wire-codec', 'small route sets, for a smoke test');
  const environment = describeEnvironment();
  const { codecs, native } = loadCodecs();
  console.log(`wire-codec: ${environmentLine(environment)}`);
  console.log(`median of ${options.runs} run(s)${options.quick ? ', quick sizes' : ''}; run order: ${RUN_ORDER}`);
  if (!gcExposed) console.log('note: node runs without --expose-gc, so a timed run may pay for an earlier run\'s garbage');
  if (!native.available) console.log(`note: ${native.error}; measuring ts only`);

  const cases: WireCaseResult[] = [];
  for (const routeSetCase of routeSetCases(options.quick)) {
    const started = Date.now();
    cases.push(runCase(routeSetCase, codecs, options.runs));
    console.error(`  ${routeSetCase.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  keep(cases.length);
  const results: WireCodecResults = {
    benchmark: 'wire-codec',
    environment,
    runs: options.runs,
    quick: options.quick,
    gcExposed,
    runOrder: RUN_ORDER,
    native,
    cases,
    checksum: currentChecksum(),
  };
  console.log(`\n${renderWireCodecResults(results)}\n\nchecksum ${results.checksum}`);
  const warnings = renderWarnings(results);
  if (warnings) console.error(`\n${warnings}`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
}

main();
