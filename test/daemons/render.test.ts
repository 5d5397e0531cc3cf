/**
 * Every daemon accepts the configuration its module renders, checked by the daemon's own
 * configuration checker (no namespace, no session): one router with an IPv4 and an IPv6 session
 * and routes that use every field of RouteSpec.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run } from '../netns/exec.ts';
import { renderBirdConfig } from './bird.ts';
import type { RouterConfig } from './config.ts';
import { renderExabgpConfig } from './exabgp.ts';
import { renderFrrConfig } from './frr.ts';
import { renderGobgpConfig } from './gobgp.ts';
import { renderOpenbgpdConfig } from './openbgpd.ts';

const CONFIG: RouterConfig = {
  routerId: '192.0.2.1',
  asn: 4_200_000_001,
  neighbors: [
    {
      address: '198.51.100.1',
      asn: 65002,
      localAddress: '198.51.100.2',
      localIpv4: '198.51.100.2',
      localIpv6: '2001:db8:0:1::2',
      families: ['ipv4-unicast', 'ipv6-unicast'],
      passive: true,
      addPath: 'both',
      gracefulRestart: true,
      extendedMessage: true,
      holdTime: 30,
    },
    {
      address: '2001:db8:0:2::1',
      asn: 4_200_000_001,
      localAddress: '2001:db8:0:2::2',
      localIpv4: '198.51.100.6',
      localIpv6: '2001:db8:0:2::2',
      families: ['ipv4-unicast', 'ipv6-unicast'],
      extendedNextHop: true,
      addPath: 'send',
    },
  ],
  routes: [
    {
      prefix: '203.0.113.0/24',
      origin: 'egp',
      asPathPrepend: [4_200_000_001, 4_200_000_001],
      asSet: [64600, 64601],
      med: 10,
      localPref: 200,
      communities: ['65000:100', '65535:65281'],
      largeCommunities: ['4200000001:1:2'],
      extendedCommunities: [
        { type: 'route-target', value: '65000:100' },
        { type: 'route-target', value: '4200000001:7' },
        { type: 'route-target', value: '192.0.2.1:5' },
        { type: 'link-bandwidth', asn: 65000, bytesPerSecond: 12_500_000, transitive: true },
        { type: 'link-bandwidth', asn: 65000, bytesPerSecond: 1_250_000 },
      ],
    },
    { prefix: '203.0.113.0/24', pathId: 2, med: 20 },
    { prefix: '203.0.113.77/32', origin: 'incomplete' },
    { prefix: '2001:db8:1000::/36', origin: 'igp', med: 5, communities: ['65000:1'] },
    { prefix: '2001:db8:4000::1/128', pathId: 3 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'porter-render-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('BIRD parses its configuration', async () => {
  await run('bird', ['-p', '-c', write('bird.conf', renderBirdConfig(CONFIG, new Set(['203.0.113.77/32']), join(dir, 'bird.log')))]);
});

test('FRR bgpd accepts its configuration', async () => {
  const file = write('bgpd.conf', renderFrrConfig(CONFIG, join(dir, 'frr.log')));
  const { stdout, stderr } = await run('/usr/lib/frr/bgpd', ['-C', '-S', '-f', file]);
  // The dry run reports bad lines without failing. It also rejects every graceful-restart line, which
  // needs a running instance to reset; the live captures show those lines take effect.
  const output = stdout + stderr;
  assert.doesNotMatch(output, /Unknown command/);
  const failed = [...output.matchAll(/Config Failed on config line \d+:\s*(.*)/g)].map((m) => m[1]);
  assert.deepEqual(failed.filter((line) => !line.includes('graceful-restart')), []);
});

test('gobgpd accepts its configuration', async () => {
  await run('gobgpd', ['-d', '-f', write('gobgpd.toml', renderGobgpConfig(CONFIG))]);
});

test('OpenBGPD accepts its configuration', async () => {
  await run('bgpd', ['-n', '-f', write('openbgpd.conf', renderOpenbgpdConfig(CONFIG, new Set(), join(dir, 'bgpd.sock')))]);
});

test('ExaBGP accepts its configuration', async () => {
  // --validate parses everything; --test also replays the routes through a session that receives
  // what it sends, which cannot model ADD-PATH send-only.
  await run('exabgp', ['--validate', write('exabgp.conf', renderExabgpConfig(CONFIG, '/dev/null'))]);
});
