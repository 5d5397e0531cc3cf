import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { bgpConfDefinition } from './bgp-conf.ts';
import { bgpPeerDefinition } from './bgp-peer.ts';
import { eipDefinition } from './eip.ts';
import { renderCrds } from './render.ts';
import { structuralProblems } from './schema-check.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('deploy/crds', () => {
  for (const file of renderCrds()) {
    it(`${file.path} is what generate-crds.ts writes`, async () => {
      const committed = await readFile(join(root, file.path), 'utf8');
      assert.equal(committed, file.text, 'run: node --import tsx controller/api/generate-crds.ts');
    });
  }

  it('names each file after its CRD, as controller-gen does', () => {
    assert.deepEqual(
      renderCrds().map((file) => [file.path, (parse(file.text) as { metadata: { name: string } }).metadata.name]),
      [
        ['deploy/crds/network.kubesphere.io_eips.yaml', 'eips.network.kubesphere.io'],
        ['deploy/crds/network.kubesphere.io_bgpconfs.yaml', 'bgpconfs.network.kubesphere.io'],
        ['deploy/crds/network.kubesphere.io_bgppeers.yaml', 'bgppeers.network.kubesphere.io'],
      ],
    );
  });

  it('serves v1alpha2, cluster-scoped, with a status subresource', () => {
    for (const file of renderCrds()) {
      const crd = parse(file.text);
      assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
      assert.equal(crd.spec.scope, 'Cluster');
      assert.equal(crd.spec.versions.length, 1);
      assert.equal(crd.spec.versions[0].name, 'v1alpha2');
      assert.deepEqual(crd.spec.versions[0].subresources, { status: {} });
    }
  });

  for (const definition of [eipDefinition, bgpConfDefinition, bgpPeerDefinition]) {
    it(`${definition.kind}'s schema is structural`, () => {
      assert.deepEqual(structuralProblems(definition.spec, 'spec'), []);
      assert.deepEqual(structuralProblems(definition.status, 'status'), []);
    });
  }
});
