import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { tokenFileLine } from './credentials.ts';
import { lastCertificate, renderKubeconfig } from './kubeconfig.ts';

const cert = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

test('the kubeconfig loads in the Kubernetes client with server, CA and token', () => {
  const kc = new KubeConfig();
  kc.loadFromString(renderKubeconfig({ name: 'x', server: 'https://127.0.0.1:6443', caPem: cert('Q0E='), token: 't0k' }));
  assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString(), cert('Q0E='));
  assert.equal(kc.getCurrentUser()?.token, 't0k');
});

test('lastCertificate picks the CA after the serving certificate', () => {
  assert.equal(lastCertificate(`${cert('c2VydmluZw==')}\n${cert('Y2E=')}\n`), `${cert('Y2E=')}\n`);
  assert.equal(lastCertificate(`${cert('b25seQ==')}\n`), `${cert('b25seQ==')}\n`);
  assert.equal(lastCertificate('no pem here'), undefined);
});

test('the token file puts the admin in system:masters', () => {
  assert.equal(tokenFileLine('abc', 'porter-admin'), 'abc,porter-admin,porter-admin,"system:masters"\n');
});
