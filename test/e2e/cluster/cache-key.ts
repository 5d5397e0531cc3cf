/**
 * The build cache's key: a digest of everything that decides the binaries' bytes (our Go sources,
 * the go.mod and go.sum of both modules, and the Go toolchain's version). A new key means a new
 * cache folder, so a changed pin never runs an old binary.
 */
import { createHash } from 'node:crypto';

/** One input of the key: a name (so moving content between files changes the key) and its bytes. */
export interface KeyInput {
  name: string;
  content: string | Buffer;
}

/** The first 16 hex digits of SHA-256 over the inputs, sorted by name, and the Go version. */
export function cacheKey(inputs: readonly KeyInput[], goVersion: string): string {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${input.name}\0${Buffer.byteLength(input.content)}\0`);
    hash.update(input.content);
  }
  hash.update(`go\0${goVersion}`);
  return hash.digest('hex').slice(0, 16);
}

/** The k8s.io/kubernetes version a go.mod requires (`v1.34.4`), or undefined when it has none. */
export function kubernetesVersion(goMod: string): string | undefined {
  return /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+)\s*(?:\/\/.*)?$/m.exec(goMod)?.[1];
}

/** The Go version a GOROOT/VERSION file names on its first line (`go1.26.8`), or undefined. */
export function goVersionFromFile(content: string): string | undefined {
  const first = content.split('\n', 1)[0]?.trim();
  return first !== undefined && /^go\d/.test(first) ? first : undefined;
}
