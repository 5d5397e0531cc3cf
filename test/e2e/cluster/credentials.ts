/**
 * The secrets a test control plane needs, made fresh for each one with node:crypto: the admin
 * bearer token in kube-apiserver's static token file, and the service account signing key pair.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { paths } from './arguments.ts';

/** The admin user's name in the token file. */
export const ADMIN_USER = 'porter-admin';

/**
 * One line of a --token-auth-file: token, user, uid, then the groups quoted. system:masters
 * passes every authorization check without any RBAC binding.
 */
export function tokenFileLine(token: string, user: string): string {
  return `${token},${user},${user},"system:masters"\n`;
}

/** Writes the token file and the key pair into the state directory; returns the admin token. */
export function writeCredentials(dir: string): string {
  const files = paths(dir);
  const token = randomBytes(24).toString('hex');
  writeFileSync(files.tokens, tokenFileLine(token, ADMIN_USER), { mode: 0o600 });
  // ES256 keys: kube-apiserver signs service account tokens with ECDSA P-256 as well as RSA, and
  // the pair is made in microseconds.
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(files.serviceAccountKey, privateKey, { mode: 0o600 });
  writeFileSync(files.serviceAccountPublicKey, publicKey);
  return token;
}
