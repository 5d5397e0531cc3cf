import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiserverArgs, etcdArgs, type Layout } from './arguments.ts';

const layout: Layout = { dir: '/tmp/porter-cluster-x', etcdClientPort: 41001, etcdPeerPort: 41002, apiserverPort: 41003 };

function flag(args: string[], name: string): string | undefined {
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

test('kube-apiserver listens on loopback only, on its port, against our etcd', () => {
  const args = apiserverArgs(layout);
  const expected: Array<[string, string]> = [
    ['bind-address', '127.0.0.1'],
    ['advertise-address', '127.0.0.1'],
    ['secure-port', '41003'],
    ['etcd-servers', 'http://127.0.0.1:41001'],
    ['authorization-mode', 'RBAC'],
    ['service-cluster-ip-range', '10.96.0.0/16'],
    ['cert-dir', '/tmp/porter-cluster-x/certs'],
    ['token-auth-file', '/tmp/porter-cluster-x/tokens.csv'],
  ];
  for (const [name, value] of expected) assert.equal(flag(args, name), value, name);
});

test('both command lines name the state directory, which is how stop recognises them', () => {
  for (const args of [apiserverArgs(layout), etcdArgs(layout)]) {
    assert.ok(args.some((arg) => arg.includes(layout.dir)));
  }
});

test('etcd serves clients and peers on loopback ports', () => {
  const args = etcdArgs(layout);
  assert.equal(flag(args, 'listen-client-url'), 'http://127.0.0.1:41001');
  assert.equal(flag(args, 'listen-peer-url'), 'http://127.0.0.1:41002');
});
