import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { validateBgpConf, validateBgpPeer, validateEip, type Validated } from '../validation.ts';
import { bgpConfDefinition } from './bgp-conf.ts';
import { bgpPeerDefinition } from './bgp-peer.ts';
import type { KindDefinition } from './definition.ts';
import { eipDefinition } from './eip.ts';
import { schemaProblems } from './schema-check.ts';

const samplesFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'openelb-samples.yaml');
const samples = parseAllDocuments(await readFile(samplesFile, 'utf8')).map((document) => document.toJS() as Record<string, unknown>);

const kinds: Record<string, { definition: KindDefinition; validate: (obj: unknown) => Validated<unknown> }> = {
  Eip: { definition: eipDefinition, validate: validateEip },
  BgpConf: { definition: bgpConfDefinition, validate: validateBgpConf },
  BgpPeer: { definition: bgpPeerDefinition, validate: validateBgpPeer },
};

describe("OpenELB's sample manifests", () => {
  it('cover the three kinds', () => {
    assert.deepEqual(new Set(samples.map((sample) => sample.kind)), new Set(Object.keys(kinds)));
  });

  samples.forEach((sample, index) => {
    const { kind, metadata } = sample as { kind: string; metadata: { name: string } };
    const { definition, validate } = kinds[kind];
    const label = `#${index + 1} ${kind} ${metadata.name}`;

    it(`${label}: the CRD schema accepts it and prunes nothing`, () => {
      const { spec, status } = sample;
      assert.deepEqual(schemaProblems(definition.spec, spec, 'spec'), []);
      if (status !== undefined) assert.deepEqual(schemaProblems(definition.status, status, 'status'), []);
    });

    it(`${label}: validation accepts it`, () => {
      const result = validate(sample);
      assert.deepEqual(result.ok ? [] : result.problems, []);
    });
  });
});

describe('schemaProblems', () => {
  it('names a field the schema does not know, which the API server would prune', () => {
    const spec = { conf: { peerAs: 65000, neighborAddress: '192.0.2.1', peerAS: 65000 }, timers: { config: { holdTime: true } } };
    assert.deepEqual(schemaProblems(bgpPeerDefinition.spec, spec, 'spec'), [
      'spec.conf.peerAS: unknown field, would be pruned',
      'spec.timers.config.holdTime: not an integer or a string',
    ]);
  });
});
