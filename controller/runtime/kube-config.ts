/**
 * Finds the cluster to talk to, in kubectl's order of precedence: the `--kubeconfig` flag, then the
 * `KUBECONFIG` variable (a list of files, merged, the first file's current context winning), then
 * the Pod's service account when running in the cluster.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isIPv6 } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a Pod finds its service account's token, CA bundle and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigSource {
  /** The `--kubeconfig` flag's value. */
  kubeconfig?: string;
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Defaults to SERVICE_ACCOUNT_DIR. */
  serviceAccountDir?: string;
}

export type KubeConfigFrom = 'flag' | 'env' | 'in-cluster';

export type KubeConfigResult =
  | { ok: true; value: KubeConfig; from: KubeConfigFrom; namespace?: string }
  | { ok: false; error: string };

/**
 * Loads the KubeConfig from the first source present. `namespace` is the Pod's own namespace in the
 * cluster, or the current context's namespace from a file, when either says one.
 */
export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfigResult {
  const env = source.env ?? process.env;
  if (source.kubeconfig) return fromFiles([source.kubeconfig], 'flag', '--kubeconfig');
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  if (listed.length > 0) return fromFiles(listed, 'env', 'KUBECONFIG');
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (host && port) return inCluster(host, port, source.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  return {
    ok: false,
    error: 'no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, or run in a Pod (KUBERNETES_SERVICE_HOST is unset)',
  };
}

function fromFiles(files: string[], from: KubeConfigFrom, origin: string): KubeConfigResult {
  const kc = new KubeConfig();
  for (const [index, file] of files.entries()) {
    if (!existsSync(file)) return { ok: false, error: `${origin}: ${file} does not exist` };
    try {
      if (index === 0) {
        kc.loadFromFile(file);
      } else {
        const next = new KubeConfig();
        next.loadFromFile(file);
        mergeFirstWins(kc, next);
      }
    } catch (error) {
      return { ok: false, error: `${origin}: ${file}: ${(error as Error).message}` };
    }
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    const context = kc.getCurrentContext();
    return { ok: false, error: `${origin}: ${files.join(delimiter)}: current context ${context ? `"${context}" names no cluster` : 'is not set'}` };
  }
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  return { ok: true, value: kc, from, ...(namespace ? { namespace } : {}) };
}

/** kubectl's merge of a KUBECONFIG list: the first file to name a context, cluster or user wins. */
function mergeFirstWins(into: KubeConfig, next: KubeConfig): void {
  for (const cluster of next.getClusters()) if (!into.getCluster(cluster.name)) into.addCluster(cluster);
  for (const user of next.getUsers()) if (!into.getUser(user.name)) into.addUser(user);
  for (const context of next.getContexts()) if (!into.getContextObject(context.name)) into.addContext(context);
  if (!into.getCurrentContext() && next.getCurrentContext()) into.setCurrentContext(next.getCurrentContext());
}

function inCluster(host: string, port: string, dir: string): KubeConfigResult {
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) {
    return { ok: false, error: `in-cluster: KUBERNETES_SERVICE_HOST is set but ${tokenFile} does not exist (no service account token mounted)` };
  }
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const kc = new KubeConfig();
  // The tokenFile provider rereads the file, so the kubelet's rotation of bound tokens is followed.
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
    currentContext: 'in-cluster',
  });
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return { ok: true, value: kc, from: 'in-cluster', ...(namespace ? { namespace } : {}) };
}

/** The KubeConfig from `--kubeconfig` (or the usual sources), for a command that cannot run without one. */
export function requireKubeConfig(kubeconfig: string | undefined): KubeConfig {
  const loaded = loadKubeConfig(kubeconfig !== undefined ? { kubeconfig } : {});
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
}
