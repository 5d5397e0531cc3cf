import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ipam } from './ipam.ts';
import { eip, request } from './ipam-fixtures.ts';

const addresses = (result: ReturnType<Ipam['allocate']>) => {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value.addresses.map(({ ip }) => ip);
};

test('allocation is idempotent and stable', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true }), eip('bound', '198.51.100.0/24', { namespaceSelector: { team: 'a' }, priority: 5 })]);
  const first = ipam.allocate(request('shop/web'));
  assert.ok(first.ok && first.value.changed);
  const again = ipam.allocate(request('shop/web'));
  assert.ok(again.ok);
  assert.deepEqual(again.value, { addresses: [{ ip: '192.0.2.0', pool: 'def' }], changed: false, skipped: [] });

  // Selection inputs that would choose differently now do not move a Service that is served.
  ipam.setNamespaceLabels('shop', { team: 'a' });
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true, priority: 100 }), eip('bound', '198.51.100.0/24', { namespaceSelector: { team: 'a' } })]);
  assert.deepEqual(addresses(ipam.allocate(request('shop/web', { ports: [{ protocol: 'TCP', port: 8080 }] }))), ['192.0.2.0']);
  // A new Service sees the new binding.
  assert.deepEqual(addresses(ipam.allocate(request('shop/api'))), ['198.51.100.0']);
});

test('a changed request moves the Service and frees the old address', () => {
  const cases: [string, Parameters<typeof request>[1], string][] = [
    ['another requested address', { requested: ['192.0.2.50'] }, '192.0.2.50@def'],
    ['another named Eip', { pools: ['other'] }, '198.51.100.0@other'],
  ];
  for (const [name, fields, expected] of cases) {
    const ipam = new Ipam();
    ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true }), eip('other', '198.51.100.0/24')]);
    addresses(ipam.allocate(request('shop/web')));
    const moved = ipam.allocate(request('shop/web', fields));
    assert.ok(moved.ok);
    assert.equal(moved.value.changed, true, name);
    assert.deepEqual(moved.value.addresses.map(({ ip, pool }) => `${ip}@${pool}`), [expected], name);
    assert.equal(ipam.poolStatus('def')?.used?.['192.0.2.0'], undefined, `${name}: old address freed`);
  }
});

test('an exhausted pool serves the waiting Service once it grows', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/30', { isDefault: true })]);
  const held = ['a', 'b', 'c', 'd'].map((name) => addresses(ipam.allocate(request(`shop/${name}`)))[0]);
  assert.deepEqual(held, ['192.0.2.0', '192.0.2.1', '192.0.2.2', '192.0.2.3']);
  const waiting = ipam.allocate(request('shop/e'));
  assert.equal(waiting.ok ? 'ok' : waiting.error.reason, 'PoolExhausted');
  assert.equal(ipam.poolStatus('def')?.occupied, true);

  const reports = ipam.setPools([eip('def', '192.0.2.0/29', { isDefault: true })]);
  assert.equal(reports[0].state, 'ready');
  assert.deepEqual(addresses(ipam.allocate(request('shop/e'))), ['192.0.2.4']);
  for (const [index, name] of ['a', 'b', 'c', 'd'].entries()) {
    assert.deepEqual(ipam.allocationOf(`shop/${name}`), [{ ip: held[index], pool: 'def' }]);
  }
  assert.deepEqual({ ...ipam.poolStatus('def'), used: undefined }, {
    occupied: false, usage: 5, poolSize: 8, used: undefined, firstIP: '192.0.2.0', lastIP: '192.0.2.7', ready: true, v4: true,
  });
});

test('release frees an address exactly once, and a shared one only with its last holder', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true })]);
  ipam.allocate(request('shop/a', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 80 }] }));
  ipam.allocate(request('shop/b', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 443 }] }));
  ipam.allocate(request('shop/c'));
  const cases: [string, string[], number][] = [
    ['shop/a', [], 2],
    ['shop/a', [], 2],
    ['shop/b', ['192.0.2.0'], 1],
    ['shop/b', [], 1],
    ['shop/unknown', [], 1],
    ['shop/c', ['192.0.2.1'], 0],
  ];
  for (const [key, freed, usage] of cases) {
    assert.deepEqual(ipam.release(key), freed, key);
    assert.equal(ipam.allocationOf(key), undefined, key);
    assert.equal(ipam.poolStatus('def')?.usage, usage, key);
  }
  assert.deepEqual(addresses(ipam.allocate(request('shop/d'))), ['192.0.2.0']);
});

test('restore then allocate yields the same addresses after a restart', () => {
  const pools = [
    eip('def', '192.0.2.0/24', { isDefault: true }),
    eip('v6', '2001:db8::/64', { isDefault: true }),
    eip('named', '198.51.100.0/24'),
  ];
  const requests = [
    request('shop/a', { sharingKey: 'k' }),
    request('shop/b', { sharingKey: 'k', ports: [{ protocol: 'UDP', port: 53 }] }),
    request('shop/c', { families: [4, 6], familyPolicy: 'RequireDualStack' }),
    request('shop/d', { pools: ['named'] }),
    request('shop/e', { requested: ['192.0.2.99'] }),
  ];
  const before = new Ipam();
  before.setPools(pools);
  for (const item of requests) addresses(before.allocate(item));
  before.release('shop/a');
  const status = new Map(requests.map((item) => [item.key, before.allocationOf(item.key)?.map(({ ip }) => ip) ?? []]));

  for (const order of ['pools first', 'services first']) {
    const after = new Ipam();
    if (order === 'pools first') after.setPools(pools);
    for (const item of requests) {
      const ingress = status.get(item.key) ?? [];
      if (ingress.length > 0) after.restore(item.key, ingress, item);
    }
    if (order === 'services first') after.setPools(pools);
    // A new Service must not be handed an address the restored ones hold (shop/b keeps 192.0.2.0).
    assert.deepEqual(addresses(after.allocate(request('shop/new'))), ['192.0.2.2'], order);
    for (const item of requests.slice(1)) {
      const result = after.allocate(item);
      assert.ok(result.ok);
      assert.equal(result.value.changed, false, `${order}: ${item.key}`);
      assert.deepEqual(result.value.addresses, before.allocationOf(item.key), `${order}: ${item.key}`);
    }
    const expected = before.poolStatus('def');
    assert.deepEqual(after.poolStatus('def'), { ...expected, usage: 4, used: { ...expected?.used, '192.0.2.2': 'shop/new' } }, order);
    assert.deepEqual(after.poolStatus('named'), before.poolStatus('named'), order);
    assert.deepEqual(after.poolStatus('v6'), before.poolStatus('v6'), order);
  }
});

test('restore keeps and reports addresses outside every Eip, skips non-addresses, names conflicts', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true })]);
  ipam.restore('shop/a', ['192.0.2.7'], request('shop/a'));
  const report = ipam.restore('shop/b', ['192.0.2.7', 'lb.example.com', '203.0.113.9', '0192.0.2.1', '2001:DB8::1'], request('shop/b'));
  assert.deepEqual(report, {
    addresses: [{ ip: '192.0.2.7', pool: 'def' }, { ip: '203.0.113.9', pool: '' }, { ip: '2001:db8::1', pool: '' }],
    outside: ['203.0.113.9', '2001:db8::1'],
    invalid: ['lb.example.com', '0192.0.2.1'],
    conflicts: [{ ip: '192.0.2.7', holders: ['shop/a', 'shop/b'], reason: 'shop/a holds it and shop/b has no sharing key' }],
  });
  assert.deepEqual(ipam.orphans(), [
    { ip: '203.0.113.9', keys: ['shop/b'], lastPool: '' },
    { ip: '2001:db8::1', keys: ['shop/b'], lastPool: '' },
  ]);
  // Restoring again replaces what the Service holds; an empty list forgets it.
  ipam.restore('shop/b', ['192.0.2.8']);
  assert.deepEqual(ipam.allocationOf('shop/b'), [{ ip: '192.0.2.8', pool: 'def' }]);
  assert.deepEqual(ipam.orphans(), []);
  ipam.restore('shop/b', []);
  assert.equal(ipam.allocationOf('shop/b'), undefined);
  assert.deepEqual(ipam.poolStatus('def')?.used, { '192.0.2.7': 'shop/a' });
});

test('a Service restored without its request keeps its address; nobody new may share it', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('def', '192.0.2.0/24', { isDefault: true })]);
  ipam.restore('shop/a', ['192.0.2.0']);
  ipam.restore('shop/b', ['192.0.2.0'], request('shop/b', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 443 }] }));
  const kept = ipam.allocate(request('shop/b', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 443 }] }));
  assert.ok(kept.ok && !kept.value.changed);
  const refused = ipam.allocate(request('shop/c', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 8443 }], requested: ['192.0.2.0'] }));
  assert.ok(!refused.ok);
  assert.match(refused.error.message, /shop\/a holds it and its sharing terms are not known/);
});

test('changing pools never drops an allocation: orphans are held, reported, and re-homed', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('a', '192.0.2.0/24', { isDefault: true }), eip('b', '198.51.100.0/24', { namespaces: ['team'] })]);
  addresses(ipam.allocate(request('shop/x')));
  addresses(ipam.allocate(request('team/y')));
  assert.deepEqual(ipam.orphans(), []);

  const cases: [string, Parameters<Ipam['setPools']>[0], { ip: string; keys: string[]; lastPool: string }[]][] = [
    ['Eip a deleted', [eip('b', '198.51.100.0/24', { namespaces: ['team'] })], [{ ip: '192.0.2.0', keys: ['shop/x'], lastPool: 'a' }]],
    ['Eip a back under another name', [eip('a2', '192.0.2.0/25', { isDefault: true }), eip('b', '198.51.100.0/24')], []],
    ['Eip a2 shrunk past the address', [eip('a2', '192.0.2.128/25', { isDefault: true }), eip('b', '198.51.100.0/24')], [{ ip: '192.0.2.0', keys: ['shop/x'], lastPool: 'a2' }]],
    ['Eip b turned invalid', [eip('a2', '192.0.2.0/24', { isDefault: true }), eip('b', '198.51.100.0/33')], [{ ip: '198.51.100.0', keys: ['team/y'], lastPool: 'b' }]],
    // The older Eip c takes over the address b gave.
    ['Eip b newer than an overlapping one', [eip('a2', '192.0.2.0/24', { isDefault: true }), eip('b', '198.51.100.0/24', { created: '2025-01-01T00:00:00Z' }), eip('c', '198.51.100.0/28')], []],
    ['Eip b layer2', [eip('a2', '192.0.2.0/24', { isDefault: true }), eip('b', '198.51.100.0/24', { protocol: 'layer2' })], [{ ip: '198.51.100.0', keys: ['team/y'], lastPool: 'c' }]],
    ['Eip b disabled: still its home', [eip('a2', '192.0.2.0/24', { isDefault: true }), eip('b', '198.51.100.0/24', { disable: true })], []],
  ];
  for (const [name, eips, orphans] of cases) {
    ipam.setPools(eips);
    assert.deepEqual(ipam.orphans(), orphans, name);
    assert.deepEqual(ipam.allocationOf('shop/x')?.map(({ ip }) => ip), ['192.0.2.0'], name);
    assert.deepEqual(ipam.allocationOf('team/y')?.map(({ ip }) => ip), ['198.51.100.0'], name);
  }
  // A Service on an orphan keeps it; a disabled Eip keeps what it gave and gives nothing new.
  ipam.setPools([eip('b', '198.51.100.0/24', { disable: true, namespaces: ['team'] })]);
  const kept = ipam.allocate(request('shop/x'));
  assert.ok(kept.ok && !kept.value.changed);
  assert.deepEqual(kept.value.addresses, [{ ip: '192.0.2.0', pool: 'a2' }]);
  assert.ok(ipam.allocate(request('team/y')).ok);
  assert.equal(ipam.allocate(request('team/z')).ok, false);
  assert.deepEqual(ipam.poolStatus('b')?.used, { '198.51.100.0': 'team/y' });
  assert.equal(ipam.poolStatus('b')?.ready, false);
  assert.deepEqual(ipam.release('shop/x'), ['192.0.2.0']);
  assert.deepEqual(ipam.orphans(), []);
});

test('pool status and usage for metrics', () => {
  const ipam = new Ipam();
  ipam.setPools([
    eip('v4', '192.0.2.0/31', { isDefault: true }),
    eip('v6', '2001:db8::/64', { isDefault: true }),
    eip('bad', 'x'),
    eip('l2', '203.0.113.0/24', { protocol: 'layer2' }),
  ]);
  ipam.allocate(request('shop/a', { sharingKey: 'k' }));
  ipam.allocate(request('shop/b', { sharingKey: 'k', ports: [] }));
  ipam.allocate(request('shop/c'));
  ipam.allocate(request('shop/d', { families: [6] }));
  assert.deepEqual(ipam.poolStatus('v4'), {
    occupied: true, usage: 2, poolSize: 2, used: { '192.0.2.0': 'shop/a;shop/b', '192.0.2.1': 'shop/c' },
    firstIP: '192.0.2.0', lastIP: '192.0.2.1', ready: true, v4: true,
  });
  // A /64 holds 2^64 addresses; poolSize is clamped to the largest exact JSON number.
  assert.deepEqual(ipam.poolStatus('v6'), {
    occupied: false, usage: 1, poolSize: Number.MAX_SAFE_INTEGER, used: { '2001:db8::': 'shop/d' },
    firstIP: '2001:db8::', lastIP: '2001:db8::ffff:ffff:ffff:ffff', ready: true, v4: false,
  });
  assert.deepEqual(ipam.poolStatus('bad'), { ready: false, occupied: false, usage: 0, poolSize: 0, used: {} });
  assert.equal(ipam.poolStatus('l2')?.ready, false);
  assert.equal(ipam.poolStatus('missing'), undefined);
  assert.deepEqual(ipam.usageByPool(), [
    { pool: 'v4', family: 4, state: 'ready', size: 2, used: 2, services: 3 },
    { pool: 'v6', family: 6, state: 'ready', size: Number.MAX_SAFE_INTEGER, used: 1, services: 1 },
    { pool: 'l2', family: 4, state: 'unsupported', size: 256, used: 0, services: 0 },
  ]);
});

test('a /64 hands out thousands of addresses without walking its range', () => {
  const ipam = new Ipam();
  ipam.setPools([eip('v6', '2001:db8:0:1::/64', { isDefault: true })]);
  for (let index = 0; index < 3000; index += 1) {
    const result = ipam.allocate(request(`shop/s${index}`, { families: [6] }));
    assert.ok(result.ok);
  }
  assert.deepEqual(ipam.allocationOf('shop/s2999'), [{ ip: '2001:db8:0:1::bb7', pool: 'v6' }]);
  ipam.release('shop/s5');
  assert.deepEqual(ipam.allocate(request('shop/next', { families: [6] })).ok && ipam.allocationOf('shop/next'), [{ ip: '2001:db8:0:1::5', pool: 'v6' }]);
  assert.equal(ipam.poolStatus('v6')?.usage, 3000);
});

test('the random order draws from the injected source', () => {
  const ipam = new Ipam({ allocationOrder: 'random', random: () => 9 / 2 ** 32 });
  ipam.setPools([eip('v6', '2001:db8::/112', { isDefault: true })]);
  assert.deepEqual(addresses(ipam.allocate(request('shop/a', { families: [6] }))), ['2001:db8::9']);
  assert.deepEqual(addresses(ipam.allocate(request('shop/b', { families: [6] }))), ['2001:db8::a']);
});
