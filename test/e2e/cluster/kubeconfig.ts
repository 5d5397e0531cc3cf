/** The kubeconfig of a test control plane: one cluster, one admin token user, one context. */
import { stringify } from 'yaml';

/** What a kubeconfig needs to reach the control plane. */
export interface KubeconfigInput {
  /** Used for the cluster, user and context names. */
  name: string;
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  token: string;
}

/** The kubeconfig as YAML text. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = `porter-${input.name}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caPem).toString('base64') },
      },
    ],
    users: [{ name: `${name}-admin`, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    'current-context': name,
  });
}

/**
 * The last certificate of a PEM bundle. kube-apiserver's self-signed `apiserver.crt` holds the
 * serving certificate followed by the CA that signed it, and clients should trust only the CA.
 */
export function lastCertificate(bundle: string): string | undefined {
  const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  return certificates === null ? undefined : `${certificates[certificates.length - 1]}\n`;
}
