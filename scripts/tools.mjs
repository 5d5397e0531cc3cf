// Go tools the packaging tests need, built from their Go modules with the machine's Go toolchain
// into a cache outside the repository (no prebuilt binary can be downloaded here), and reused
// while their version is unchanged. The Kubernetes API's OpenAPI document comes the same way: it is
// a file of the k8s.io/kubernetes module (api/openapi-spec/swagger.json, generated from a real
// kube-apiserver and checked by the Kubernetes project on every change), fetched by `go mod download`.
//
//   node scripts/tools.mjs [helm|kubeconform|openapi ...]   builds what is missing, prints the paths
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every tool: the package `go install` builds and the module version it pins. */
export const TOOLS = {
  helm: { pkg: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' },
  kubeconform: { pkg: 'github.com/yannh/kubeconform/cmd/kubeconform', version: 'v0.7.0' },
};

/** The Kubernetes release whose API the chart is validated against (the e2e kube-apiserver's minor). */
export const KUBERNETES_VERSION = '1.34.4';

/** The cache root: PORTER_TOOLS_DIR, else XDG_CACHE_HOME or ~/.cache, under porter/tools. */
export function toolsDir() {
  if (process.env.PORTER_TOOLS_DIR) return process.env.PORTER_TOOLS_DIR;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'porter', 'tools');
}

function go(args, env = {}) {
  const run = spawnSync('go', args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (run.error) return { ok: false, error: `go ${args[0]}: ${run.error.message}` };
  if (run.status !== 0) return { ok: false, error: `go ${args.join(' ')} exited with ${run.status}: ${run.stderr.trim()}` };
  return { ok: true, value: run.stdout };
}

/**
 * The path of a built tool, building it first when the cache lacks this version. Built into a
 * temporary folder then renamed, so an interrupted build never leaves a half-written binary.
 */
export function ensureTool(name) {
  const tool = TOOLS[name];
  if (!tool) return { ok: false, error: `unknown tool ${name}` };
  const dir = join(toolsDir(), name, tool.version);
  const binary = join(dir, name);
  if (existsSync(binary)) return { ok: true, value: binary };
  const staging = `${dir}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  // Static binaries: the tools must not depend on the C library of the machine that built them.
  const built = go(['install', `${tool.pkg}@${tool.version}`], { GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-trimpath' });
  if (!built.ok) {
    rmSync(staging, { recursive: true, force: true });
    return built;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { ok: true, value: binary };
}

/** The path of the Kubernetes OpenAPI v2 document of KUBERNETES_VERSION, from the module cache. */
export function ensureKubernetesOpenApi() {
  const downloaded = go(['mod', 'download', '-json', `k8s.io/kubernetes@v${KUBERNETES_VERSION}`]);
  if (!downloaded.ok) return downloaded;
  const { Dir: dir, Error: error } = JSON.parse(downloaded.value);
  if (error) return { ok: false, error };
  const swagger = join(dir, 'api', 'openapi-spec', 'swagger.json');
  if (!existsSync(swagger)) return { ok: false, error: `no api/openapi-spec/swagger.json in ${dir}` };
  return { ok: true, value: swagger };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : [...Object.keys(TOOLS), 'openapi'];
  let failed = false;
  for (const name of names) {
    const result = name === 'openapi' ? ensureKubernetesOpenApi() : ensureTool(name);
    if (result.ok) console.log(`${name}\t${result.value}`);
    else {
      console.error(`${name}: ${result.error}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
