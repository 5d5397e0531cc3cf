import { testPath } from '../test-paths.ts';
import { compareByEbgpOverIbgp } from './ebgp-over-ibgp.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('ebgp-over-ibgp', compareByEbgpOverIbgp, [
  {
    name: 'a path from an external peer over the same path from an internal one',
    preferred: testPath({ kind: 'ebgp', peerAs: 65001, peer: '10.0.0.2' }),
    other: testPath({ kind: 'ibgp', asns: [65001], peer: '10.0.0.1' }),
  },
]);

testTie('ebgp-over-ibgp', compareByEbgpOverIbgp, [
  { name: 'two internal paths', a: testPath({ kind: 'ibgp' }), b: testPath({ kind: 'ibgp', peer: '10.0.0.1' }) },
  { name: 'two external paths', a: testPath(), b: testPath({ peer: '10.0.0.1' }) },
]);
