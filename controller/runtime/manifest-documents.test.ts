import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentVersion } from './content-version.ts';
import { parseManifest } from './manifest-documents.ts';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports: [{ port: 80 }]
`;

const EIP = `apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: pool
  namespace: ignored
spec:
  address: 192.0.2.0/28
`;

function keys(text: string): string[] {
  return parseManifest('f.yaml', text).objects.map(({ kind, object, document }) => `${document} ${kind} ${object.metadata?.namespace ?? '-'}/${object.metadata?.name}`);
}

describe('parseManifest', () => {
  it('reads every document of a multi-document file', () => {
    assert.deepEqual(keys(`${SERVICE}---\n${EIP}---\n`), ['1 Service default/web', '2 Eip -/pool']);
  });

  it('reads JSON and kind: List', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
      ],
    });
    assert.deepEqual(keys(list), ['1 Node -/n1', '1 Namespace -/apps']);
  });

  it('keeps a namespace given on a namespaced kind', () => {
    assert.deepEqual(keys(SERVICE.replace('name: web', 'name: web\n  namespace: apps')), ['1 Service apps/web']);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown kind', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n', /unknown kind ConfigMap/],
    ['no kind', 'apiVersion: v1\nmetadata: { name: c }\n', /no kind/],
    ['wrong apiVersion', EIP.replace('v1alpha2', 'v1alpha1'), /apiVersion network.kubesphere.io\/v1alpha1, expected network.kubesphere.io\/v1alpha2/],
    ['missing name', 'apiVersion: v1\nkind: Node\nmetadata: {}\n', /Node without metadata.name/],
    ['not a mapping', '- a\n- b\n', /not an object/],
  ];
  for (const [name, text, message] of bad) {
    it(`reports and skips a document with ${name}, keeping the others`, () => {
      const parsed = parseManifest('f.yaml', `${SERVICE}---\n${text}`);
      assert.equal(parsed.syntaxError, false);
      assert.deepEqual(parsed.objects.map(({ kind }) => kind), ['Service']);
      assert.equal(parsed.problems.length, 1);
      assert.equal(parsed.problems[0].file, 'f.yaml');
      assert.equal(parsed.problems[0].document, 2);
      assert.match(parsed.problems[0].message, message);
    });
  }

  it('takes nothing from a file with a YAML syntax error', () => {
    const parsed = parseManifest('f.yaml', `${SERVICE}---\nspec: [\n`);
    assert.equal(parsed.syntaxError, true);
    assert.deepEqual(parsed.objects, []);
    assert.equal(parsed.problems[0].document, 2);
    assert.doesNotMatch(parsed.problems[0].message, /\n/);
  });

  it('skips empty documents and empty files silently', () => {
    assert.deepEqual(parseManifest('f.yaml', ''), { objects: [], problems: [], syntaxError: false });
    assert.deepEqual(keys(`---\n${SERVICE}---\n---\n`), ['1 Service default/web']);
  });

  it('stamps a content-hash resourceVersion and a stable uid', () => {
    const [first] = parseManifest('f.yaml', SERVICE).objects;
    const [again] = parseManifest('g.yaml', SERVICE).objects;
    const [changed] = parseManifest('f.yaml', SERVICE.replace('port: 80', 'port: 81')).objects;
    assert.equal(first.object.metadata?.resourceVersion, contentVersion(first.object));
    assert.equal(again.object.metadata?.resourceVersion, first.object.metadata?.resourceVersion);
    assert.notEqual(changed.object.metadata?.resourceVersion, first.object.metadata?.resourceVersion);
    assert.match(first.object.metadata?.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(changed.object.metadata?.uid, first.object.metadata?.uid);
  });

  it('folds a Secret stringData into data', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { a: eA==, b: eQ== }\nstringData: { b: secret }\n';
    const [secret] = parseManifest('f.yaml', text).objects;
    assert.deepEqual((secret.object as { data?: unknown }).data, { a: 'eA==', b: Buffer.from('secret').toString('base64') });
    assert.equal('stringData' in secret.object, false);
  });
});
