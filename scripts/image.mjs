// Builds Porter's image with buildah, without a container registry: the base images are made here
// from a Debian bookworm root file system (debootstrap), the machine's own Node 20 and, for the build
// stage, the machine's Rust toolchain; then the repository's Dockerfile is built on them and
// `porter --help` is run inside the result. Needs root, buildah and debootstrap (installed with
// apt-get when missing). Storage is vfs with chroot isolation, which needs no kernel overlay support
// and no user namespaces.
//
//   node scripts/image.mjs [--tag porter:dev] [--rebuild-bases]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const tag = args.includes('--tag') ? args[args.indexOf('--tag') + 1] : 'localhost/porter:dev';
const rebuildBases = args.includes('--rebuild-bases');

const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'porter', 'image');
const SUITE = 'bookworm';
const NODE_BASE = `localhost/porter-base-node:${SUITE}`;
const BUILD_BASE = `localhost/porter-base-build:${SUITE}`;
const BUILDAH = ['--storage-driver', 'vfs'];
const LOCAL_CAS = '/usr/local/share/ca-certificates';
// Packages of the runtime base: TLS roots for the API server's certificate chain, setcap.
const RUNTIME_PACKAGES = ['ca-certificates', 'libcap2-bin'];
// The build stage links the addon with the system C compiler.
const BUILD_PACKAGES = ['gcc', 'libc6-dev'];

function sh(command, commandArgs, options = {}) {
  const run = spawnSync(command, commandArgs, { stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', ...options });
  if (run.error) throw new Error(`${command}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited with ${run.status}`);
  return run.stdout?.trim() ?? '';
}

function buildah(buildahArgs, options) {
  return sh('buildah', [...BUILDAH, ...buildahArgs], options);
}

function step(name, action) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const value = action();
  console.log(`=== ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

function imageExists(name) {
  return spawnSync('buildah', [...BUILDAH, 'inspect', '--type', 'image', name], { stdio: 'ignore' }).status === 0;
}

function ensureHostPackages() {
  const missing = [['buildah', '/usr/bin/buildah'], ['debootstrap', '/usr/sbin/debootstrap']].filter(([, file]) => !existsSync(file));
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-qq'], { env });
  sh('apt-get', ['install', '-y', '-qq', ...missing.map(([name]) => name)], { env });
}

/** A minimal Debian root file system with the runtime packages, made once and kept in the cache. */
function ensureRootfs() {
  const rootfs = join(cache, `rootfs-${SUITE}`);
  if (existsSync(join(rootfs, 'etc', 'debian_version'))) return rootfs;
  const staging = `${rootfs}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  // No mirror argument: debootstrap's own default Debian mirror.
  sh('debootstrap', ['--variant=minbase', `--include=${RUNTIME_PACKAGES.join(',')}`, SUITE, staging]);
  // Package lists and caches of the bootstrap are of no use in an image.
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) sh('find', [join(staging, dir), '-type', 'f', '-delete']);
  renameSync(staging, rootfs);
  return rootfs;
}

/** Starts a working container from an image (or scratch), runs the steps, commits it as `name`. */
function commitImage(from, name, steps) {
  const container = buildah(['from', '--pull-never', from], { capture: true });
  try {
    steps(container);
    buildah(['commit', '--rm', container, name]);
  } catch (error) {
    spawnSync('buildah', [...BUILDAH, 'rm', container], { stdio: 'ignore' });
    throw error;
  }
}

function nodeBase(rootfs) {
  const node = realpathSync(process.execPath);
  const version = sh(node, ['--version'], { capture: true });
  if (!version.startsWith('v20.')) throw new Error(`the machine's node is ${version}; the image needs Node 20`);
  // Through a tar archive, which keeps owners, modes and device files as debootstrap made them.
  const archive = join(cache, `rootfs-${SUITE}.tar`);
  sh('tar', ['--numeric-owner', '--xattrs', '-C', rootfs, '-cf', archive, '.']);
  commitImage('scratch', NODE_BASE, (container) => {
    buildah(['add', container, archive, '/']);
    buildah(['copy', '--chmod', '0755', container, node, '/usr/local/bin/node']);
    buildah(['config', '--env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--cmd', '/bin/bash', container]);
  });
  rmSync(archive, { force: true });
}

function buildBase() {
  const npm = realpathSync(join(dirname(realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm'));
  const toolchain = dirname(dirname(realpathSync(sh('rustup', ['which', 'cargo'], { capture: true }))));
  commitImage(NODE_BASE, BUILD_BASE, (container) => {
    buildah(['run', '--isolation', 'chroot', container, '--', 'apt-get', 'update', '-qq']);
    buildah(['run', '--isolation', 'chroot', '--env', 'DEBIAN_FRONTEND=noninteractive', container, '--',
      'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...BUILD_PACKAGES]);
    buildah(['run', '--isolation', 'chroot', container, '--', 'sh', '-c', 'apt-get clean && rm -rf /var/lib/apt/lists/*']);
    // The machine's own added certificate authorities, so that npm and cargo reach the registries
    // wherever the machine does (behind a TLS-inspecting proxy, say). Only the build stage has them:
    // the runtime image starts from the node base.
    if (existsSync(LOCAL_CAS)) {
      buildah(['copy', container, `${LOCAL_CAS}/`, '/usr/local/share/ca-certificates/']);
      buildah(['run', '--isolation', 'chroot', container, '--', 'update-ca-certificates']);
    }
    buildah(['copy', container, `${npm}/`, '/usr/local/lib/node_modules/npm/']);
    // The compiler and the standard library only (bin and lib); the toolchain's documentation stays out.
    for (const dir of ['bin', 'lib']) buildah(['copy', container, `${toolchain}/${dir}/`, `/usr/local/rust/${dir}/`]);
    buildah(['run', '--isolation', 'chroot', container, '--', 'ln', '-s', '../lib/node_modules/npm/bin/npm-cli.js', '/usr/local/bin/npm']);
    // Node reads no system store by default: point it at Debian's bundle, which holds the added ones.
    buildah(['config', '--env', 'PATH=/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--env', 'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt', container]);
  });
}

function buildImage() {
  // Caches shared across builds, outside the image: crates and npm packages are downloaded once.
  const cargoRegistry = join(cache, 'cargo-registry');
  const npmCache = join(cache, 'npm-cache');
  for (const dir of [cargoRegistry, npmCache]) mkdirSync(dir, { recursive: true });
  buildah(['bud', '--isolation', 'chroot', '--pull-never', '--layers',
    '--build-arg', `BUILD_BASE=${BUILD_BASE}`, '--build-arg', `RUNTIME_BASE=${NODE_BASE}`,
    '--volume', `${cargoRegistry}:/root/.cargo/registry`, '--volume', `${npmCache}:/root/.npm`,
    '-f', join(root, 'Dockerfile'), '-t', tag, root]);
}

/** Runs commands in a container of the image, as its user; returns their output. */
function smokeTest() {
  const container = buildah(['from', '--pull-never', tag], { capture: true });
  try {
    const help = buildah(['run', '--isolation', 'chroot', container, '--', '/usr/local/bin/node', '/app/bin/porter.mjs', '--help'], { capture: true });
    console.log(help);
    if (!help.includes('controller') || !help.includes('speaker')) throw new Error('porter --help names no controller or speaker command');
    const info = buildah(['run', '--isolation', 'chroot', container, '--', '/usr/local/bin/node', '/app/bin/porter.mjs', 'info'], { capture: true });
    console.log(info);
    const caps = buildah(['run', '--isolation', 'chroot', container, '--', 'getcap', '/usr/local/bin/node-net-bind', '/usr/local/bin/node'], { capture: true });
    console.log(caps);
    if (!/node-net-bind.*cap_net_bind_service/.test(caps)) throw new Error('node-net-bind lacks cap_net_bind_service');
    const user = buildah(['run', '--isolation', 'chroot', container, '--', 'id', '-u'], { capture: true });
    if (user !== '65532') throw new Error(`the image runs as ${user}, not 65532`);
  } finally {
    spawnSync('buildah', [...BUILDAH, 'rm', container], { stdio: 'ignore' });
  }
}

const started = Date.now();
step('host packages', ensureHostPackages);
const rootfs = step('debian root file system', ensureRootfs);
if (rebuildBases || !imageExists(NODE_BASE)) step(`base ${NODE_BASE}`, () => nodeBase(rootfs));
if (rebuildBases || !imageExists(BUILD_BASE)) step(`base ${BUILD_BASE}`, buildBase);
step(`image ${tag}`, buildImage);
step('porter --help in the image', smokeTest);
console.log(`\nimage ${tag} built and checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
