/**
 * The packaging tests' tools, run as processes: `helm template` renders the chart and kubeconform
 * validates the result against JSON Schemas written into a folder. Failures are values carrying the
 * tool's own message.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SCHEMA_LOCATION_TEMPLATE, type SchemaFile } from './kube-json-schema.ts';

/** A value, or the reason there is none. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

function run(command: string, args: string[], input?: string): Result<string> {
  const child = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 << 20, timeout: 120_000 });
  if (child.error) return { ok: false, error: `${command}: ${child.error.message}` };
  if (child.status !== 0) return { ok: false, error: `${command} exited with ${child.status}: ${child.stderr.trim() || child.stdout.trim()}` };
  return { ok: true, value: child.stdout };
}

/** How to render the chart. */
export interface RenderOptions {
  release: string;
  namespace: string;
  /** Passed as `--kube-version`, so `.Capabilities` and `kubeVersion` checks see the target cluster. */
  kubernetesVersion: string;
  valuesFiles?: string[];
}

/** The chart rendered by `helm template`, CRDs from crds/ included, as one YAML stream. */
export function renderChart(helm: string, chart: string, options: RenderOptions): Result<string> {
  const args = ['template', options.release, chart, '--namespace', options.namespace, '--include-crds', '--kube-version', options.kubernetesVersion];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  return run(helm, args);
}

/** The non-empty documents of a YAML stream, as plain objects. */
export function manifests(stream: string): Record<string, unknown>[] {
  return parseAllDocuments(stream)
    .map((document) => document.toJS() as unknown)
    .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
}

/** Writes schema files under a folder, creating the group folders. */
export function writeSchemas(folder: string, files: SchemaFile[]): void {
  for (const file of files) {
    const path = join(folder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(file.schema));
  }
}

/** kubeconform's verdict on one document. */
export interface Verdict {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';
  msg: string;
}

/**
 * kubeconform's verdict on every document of a stream, strict (unknown and duplicate fields are
 * errors), with the schemas of `folder` only: a kind without a schema is an error, never skipped.
 */
export function validate(kubeconform: string, folder: string, kubernetesVersion: string, stream: string): Result<Verdict[]> {
  const args = ['-strict', '-verbose', '-output', 'json', '-kubernetes-version', kubernetesVersion, '-schema-location', join(folder, SCHEMA_LOCATION_TEMPLATE), '-'];
  const child = spawnSync(kubeconform, args, { encoding: 'utf8', input: stream, maxBuffer: 64 << 20, timeout: 120_000 });
  if (child.error) return { ok: false, error: `kubeconform: ${child.error.message}` };
  // kubeconform exits 1 when a document is invalid; its JSON report is the answer either way.
  try {
    const report = JSON.parse(child.stdout) as { resources?: Verdict[] };
    return { ok: true, value: report.resources ?? [] };
  } catch {
    return { ok: false, error: `kubeconform exited with ${child.status}: ${child.stderr.trim() || child.stdout.trim()}` };
  }
}
