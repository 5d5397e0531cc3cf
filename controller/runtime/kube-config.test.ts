import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { loadKubeConfig } from './kube-config.ts';

function kubeconfig(cluster: string, server: string, context: string | undefined, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: ${cluster}, cluster: { server: "${server}" } }]`,
    `users: [{ name: ${cluster}-user, user: { token: secret } }]`,
    `contexts: [{ name: ${cluster}, context: { cluster: ${cluster}, user: ${cluster}-user${namespace ? `, namespace: ${namespace}` : ''} } }]`,
    ...(context ? [`current-context: ${context}`] : []),
  ].join('\n');
}

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'porter-kubeconfig-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the --kubeconfig flag wins over KUBECONFIG and the service account', () => {
  withDir((dir) => {
    const flag = join(dir, 'flag.yaml');
    const env = join(dir, 'env.yaml');
    writeFileSync(flag, kubeconfig('flagged', 'https://192.0.2.1:6443', 'flagged', 'porter-system'));
    writeFileSync(env, kubeconfig('from-env', 'https://192.0.2.2:6443', 'from-env'));
    const result = loadKubeConfig({ kubeconfig: flag, env: { KUBECONFIG: env, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' } });
    assert.ok(result.ok);
    assert.equal(result.from, 'flag');
    assert.equal(result.namespace, 'porter-system');
    assert.equal(result.value.getCurrentCluster()?.server, 'https://192.0.2.1:6443');
  });
});

test('KUBECONFIG lists files; the first to name a context wins, a later file may supply it', () => {
  withDir((dir) => {
    const first = join(dir, 'a.yaml');
    const second = join(dir, 'b.yaml');
    writeFileSync(first, kubeconfig('one', 'https://192.0.2.1:6443', 'two'));
    writeFileSync(second, kubeconfig('two', 'https://192.0.2.2:6443', 'one'));
    const result = loadKubeConfig({ env: { KUBECONFIG: [first, second].join(delimiter) } });
    assert.ok(result.ok);
    assert.equal(result.from, 'env');
    assert.equal(result.value.getCurrentContext(), 'two');
    assert.equal(result.value.getCurrentCluster()?.server, 'https://192.0.2.2:6443');
  });
});

test('in a Pod: the service account token, CA and namespace; IPv6 hosts bracketed', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'sa'));
    writeFileSync(join(dir, 'sa', 'token'), 'token');
    writeFileSync(join(dir, 'sa', 'namespace'), 'porter-system\n');
    const result = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: join(dir, 'sa') });
    assert.ok(result.ok);
    assert.equal(result.from, 'in-cluster');
    assert.equal(result.namespace, 'porter-system');
    assert.equal(result.value.getCurrentCluster()?.server, 'https://[fd00::1]:443');
    assert.equal(result.value.getCurrentCluster()?.caFile, join(dir, 'sa', 'ca.crt'));
  });
});

test('clear errors name what is missing', () => {
  withDir((dir) => {
    const noContext = join(dir, 'no-context.yaml');
    writeFileSync(noContext, kubeconfig('one', 'https://192.0.2.1:6443', undefined));
    const cases: { name: string; source: Parameters<typeof loadKubeConfig>[0]; error: RegExp }[] = [
      { name: 'nothing', source: { env: {} }, error: /pass --kubeconfig, set KUBECONFIG, or run in a Pod/ },
      { name: 'missing flag file', source: { kubeconfig: join(dir, 'absent.yaml'), env: {} }, error: /--kubeconfig: .*absent\.yaml does not exist/ },
      { name: 'missing KUBECONFIG file', source: { env: { KUBECONFIG: join(dir, 'gone.yaml') } }, error: /KUBECONFIG: .*gone\.yaml does not exist/ },
      { name: 'no current context', source: { kubeconfig: noContext, env: {} }, error: /current context is not set/ },
      {
        name: 'no token in the Pod',
        source: { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: join(dir, 'none') },
        error: /in-cluster: .*token does not exist/,
      },
    ];
    for (const { name, source, error } of cases) {
      const result = loadKubeConfig(source);
      assert.equal(result.ok, false, name);
      if (!result.ok) assert.match(result.error, error, name);
    }
  });
});
