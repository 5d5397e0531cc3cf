// The system packages the test tiers need (BGP daemons for interop and captures, tcpdump, iproute2).
// Installs the missing ones with apt-get when running as root; otherwise names them and fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package -> a file it installs. */
const PACKAGES = {
  bird2: '/usr/sbin/bird',
  frr: '/usr/lib/frr/bgpd',
  gobgpd: '/usr/bin/gobgpd',
  openbgpd: '/usr/sbin/bgpd',
  exabgp: '/usr/sbin/exabgp',
  tcpdump: '/usr/bin/tcpdump',
  iproute2: '/usr/sbin/ip',
};

export function missingPackages() {
  return Object.entries(PACKAGES)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
}

export function ensureSystemPackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages (install as root): apt-get install ${missing.join(' ')}`);
  }
  console.log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (run.status !== 0) throw new Error(`apt-get ${args[0]} failed with status ${run.status}`);
  }
  const still = missingPackages();
  if (still.length > 0) throw new Error(`packages still missing after apt-get: ${still.join(' ')}`);
}
