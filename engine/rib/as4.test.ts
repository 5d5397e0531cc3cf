import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsCodec } from '../wire/index.ts';
import type { AsPathSegment, PathAttribute } from '../wire/types.ts';
import { AS_TRANS, forTwoOctetPeer, mergeAsPaths, mergeFromTwoOctetPeer, receivedAsPathAttributes } from './as4.ts';

const seq = (...asns: number[]): AsPathSegment => ({ type: 'sequence', asns });
const set = (...asns: number[]): AsPathSegment => ({ type: 'set', asns });
const confed = (...asns: number[]): AsPathSegment => ({ type: 'confed-sequence', asns });
const T = AS_TRANS;

test('RFC 6793 section 4.2.3: AS_PATH and AS4_PATH merge', () => {
  const cases: { name: string; asPath: AsPathSegment[]; as4Path: AsPathSegment[]; merged: AsPathSegment[] }[] = [
    { name: 'leading 2-octet ASes kept', asPath: [seq(65001, T, T)], as4Path: [seq(200000, 300000)], merged: [seq(65001, 200000, 300000)] },
    { name: 'equal lengths: AS4_PATH whole', asPath: [seq(T)], as4Path: [seq(200000)], merged: [seq(200000)] },
    { name: 'AS_PATH shorter: AS4_PATH ignored', asPath: [seq(65001)], as4Path: [seq(200000, 300000)], merged: [seq(65001)] },
    {
      name: 'an AS_SET counts one',
      asPath: [seq(65001, T), set(65010, T)],
      as4Path: [seq(200000), set(65010, 300000)],
      merged: [seq(65001, 200000), set(65010, 300000)],
    },
    { name: 'a leading set is taken whole', asPath: [set(T, 65002), seq(T)], as4Path: [seq(200000)], merged: [set(T, 65002), seq(200000)] },
    {
      name: 'a leading confederation segment is prepended',
      asPath: [confed(65100), seq(65001, T)],
      as4Path: [seq(200000)],
      merged: [confed(65100), seq(65001, 200000)],
    },
    { name: 'a leading confederation segment with nothing else to prepend', asPath: [confed(65100), seq(T)], as4Path: [seq(200000)], merged: [confed(65100), seq(200000)] },
    { name: 'confederation segments of AS4_PATH are discarded', asPath: [seq(T, T)], as4Path: [confed(65100), seq(200000, 300000)], merged: [seq(200000, 300000)] },
    { name: 'empty AS_PATH', asPath: [], as4Path: [seq(200000)], merged: [] },
  ];
  for (const { name, asPath, as4Path, merged } of cases) assert.deepEqual(mergeAsPaths(asPath, as4Path), merged, name);
});

test('RFC 6793 section 4.2.3: AGGREGATOR decides whether the AS4 attributes count', () => {
  const origin: PathAttribute = { type: 'origin', value: 'igp' };
  const cases: { name: string; received: PathAttribute[]; merged: PathAttribute[] }[] = [
    {
      name: 'AGGREGATOR is AS_TRANS: AS4_AGGREGATOR and AS4_PATH used',
      received: [
        origin,
        { type: 'as-path', segments: [seq(65001, T)] },
        { type: 'aggregator', asn: T, address: '192.0.2.9' },
        { type: 'as4-path', segments: [seq(200000)] },
        { type: 'as4-aggregator', asn: 200000, address: '192.0.2.9' },
      ],
      merged: [origin, { type: 'as-path', segments: [seq(65001, 200000)] }, { type: 'aggregator', asn: 200000, address: '192.0.2.9' }],
    },
    {
      name: 'AGGREGATOR of a 2-octet AS: both AS4 attributes ignored',
      received: [
        origin,
        { type: 'as-path', segments: [seq(65001, T)] },
        { type: 'aggregator', asn: 65005, address: '192.0.2.9' },
        { type: 'as4-path', segments: [seq(200000)] },
        { type: 'as4-aggregator', asn: 200000, address: '192.0.2.9' },
      ],
      merged: [origin, { type: 'as-path', segments: [seq(65001, T)] }, { type: 'aggregator', asn: 65005, address: '192.0.2.9' }],
    },
    {
      name: 'no AS4 attributes: unchanged',
      received: [origin, { type: 'as-path', segments: [seq(65001)] }],
      merged: [origin, { type: 'as-path', segments: [seq(65001)] }],
    },
  ];
  for (const { name, received, merged } of cases) assert.deepEqual(mergeFromTwoOctetPeer(received), merged, name);
});

test('RFC 6793 section 4.1: a 4-octet session\'s AS4 attributes are discarded', () => {
  const asPath: PathAttribute = { type: 'as-path', segments: [seq(65001, 200000)] };
  const received: PathAttribute[] = [
    asPath,
    { type: 'as4-path', segments: [seq(300000)] },
    { type: 'as4-aggregator', asn: 300000, address: '192.0.2.9' },
  ];
  assert.deepEqual(receivedAsPathAttributes(received, true), [asPath]);
});

test('RFC 6793 section 4.2.2: AS_TRANS and AS4 attributes toward a 2-octet peer', () => {
  const cases: { name: string; attributes: PathAttribute[]; sent: PathAttribute[] }[] = [
    {
      name: 'only 2-octet ASes: as it is',
      attributes: [{ type: 'as-path', segments: [seq(65000, 65001)] }],
      sent: [{ type: 'as-path', segments: [seq(65000, 65001)] }],
    },
    {
      name: 'a 4-octet AS: AS_TRANS in AS_PATH, AS4_PATH with the real one',
      attributes: [{ type: 'as-path', segments: [seq(65000, 200000)] }],
      sent: [
        { type: 'as-path', segments: [seq(65000, T)] },
        { type: 'as4-path', segments: [seq(65000, 200000)] },
      ],
    },
    {
      name: 'confederation segments stay out of AS4_PATH',
      attributes: [{ type: 'as-path', segments: [confed(65100), seq(200000)] }],
      sent: [
        { type: 'as-path', segments: [confed(65100), seq(T)] },
        { type: 'as4-path', segments: [seq(200000)] },
      ],
    },
    {
      name: 'a 4-octet AS only in a confederation segment: no AS4_PATH',
      attributes: [{ type: 'as-path', segments: [confed(4200000000), seq(65001)] }],
      sent: [{ type: 'as-path', segments: [confed(T), seq(65001)] }],
    },
    {
      name: 'a 4-octet aggregating AS: AGGREGATOR AS_TRANS and AS4_AGGREGATOR',
      attributes: [{ type: 'aggregator', asn: 200000, address: '192.0.2.9' }],
      sent: [
        { type: 'aggregator', asn: T, address: '192.0.2.9' },
        { type: 'as4-aggregator', asn: 200000, address: '192.0.2.9' },
      ],
    },
    {
      name: 'AS4 attributes already there are replaced',
      attributes: [{ type: 'as-path', segments: [seq(65001)] }, { type: 'as4-path', segments: [seq(300000)] }],
      sent: [{ type: 'as-path', segments: [seq(65001)] }],
    },
  ];
  for (const { name, attributes, sent } of cases) assert.deepEqual(forTwoOctetPeer(attributes), sent, name);
});

test('split for a 2-octet session, encoded, decoded and merged, a path is itself again', () => {
  const paths: AsPathSegment[][] = [
    [seq(65000, 200000, 65001)],
    [seq(4200000000), set(65010, 300000)],
    [seq(65000)],
    [seq(200000, 200001, 200002)],
  ];
  const context = { fourOctetAs: false };
  for (const segments of paths) {
    const attributes: PathAttribute[] = [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments },
      { type: 'next-hop', value: '192.0.2.1' },
      { type: 'aggregator', asn: 200000, address: '192.0.2.9' },
    ];
    const bytes = tsCodec.encodeMessage({ type: 'update', withdrawn: [], attributes: forTwoOctetPeer(attributes), nlri: [{ prefix: '10.0.0.0/8' }] }, context);
    const { message, error } = tsCodec.decodeMessage(bytes, context);
    assert.equal(error, undefined);
    assert.equal(message?.type, 'update');
    const received = message?.type === 'update' ? message.attributes : [];
    assert.deepEqual(
      mergeFromTwoOctetPeer(received).find((attribute) => attribute.type === 'as-path'),
      { type: 'as-path', segments },
    );
    assert.deepEqual(
      mergeFromTwoOctetPeer(received).find((attribute) => attribute.type === 'aggregator'),
      { type: 'aggregator', asn: 200000, address: '192.0.2.9' },
    );
  }
});
