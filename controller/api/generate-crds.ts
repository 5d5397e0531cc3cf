/**
 * Writes Porter's CustomResourceDefinitions to deploy/crds/, and the Helm chart's copy in
 * deploy/helm/porter/crds/, from the schemas in crd/.
 * `--check` writes nothing and exits 1 when a committed file differs from what would be written.
 *
 *   node --import tsx controller/api/generate-crds.ts [--check]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrds } from './crd/render.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const CHART_CRDS = 'deploy/helm/porter/crds';
let stale = 0;
const files = renderCrds().flatMap((file) => [file, { ...file, path: join(CHART_CRDS, basename(file.path)) }]);
for (const file of files) {
  const target = join(root, file.path);
  const current = await readFile(target, 'utf8').catch(() => undefined);
  if (current === file.text) continue;
  if (check) {
    stale += 1;
    console.error(`${file.path} differs from its schema in controller/api/crd/: run node --import tsx controller/api/generate-crds.ts`);
    continue;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, file.text);
  console.log(`wrote ${file.path}`);
}
process.exitCode = stale > 0 ? 1 : 0;
