import { testPath } from '../test-paths.ts';
import { compareByMed } from './med.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('med', compareByMed, [
  { name: 'lower MED from the same neighbour AS', preferred: testPath({ med: 10 }), other: testPath({ med: 20 }) },
  { name: 'missing MED counts as 0', preferred: testPath(), other: testPath({ med: 1 }) },
  {
    name: 'missing MED counts as the highest with missingMedWorst',
    preferred: testPath({ med: 4294967294 }),
    other: testPath(),
    options: { missingMedWorst: true },
  },
  {
    name: 'different neighbour ASes with alwaysCompareMed',
    preferred: testPath({ peerAs: 65002, med: 10 }),
    other: testPath({ peerAs: 65001, med: 20 }),
    options: { alwaysCompareMed: true },
  },
  {
    name: 'iBGP paths whose neighbour AS is the first AS of their path',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.2', asns: [65001, 65010], med: 5 }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', asns: [65001, 65020], med: 6 }),
  },
  {
    name: 'the neighbour AS is past the confederation segments',
    preferred: testPath({
      kind: 'ibgp',
      asPath: [
        { type: 'confed-sequence', asns: [65100] },
        { type: 'sequence', asns: [65001] },
      ],
      med: 1,
    }),
    other: testPath({ kind: 'ibgp', asns: [65001], med: 2 }),
  },
]);

testTie('med', compareByMed, [
  {
    name: 'different neighbour ASes',
    a: testPath({ peerAs: 65002, med: 10 }),
    b: testPath({ peerAs: 65001, med: 20 }),
  },
  {
    name: 'a locally originated AS path against one from a neighbour AS',
    a: testPath({ kind: 'ibgp', med: 10 }),
    b: testPath({ kind: 'ibgp', asns: [65001], med: 20 }),
  },
  { name: 'equal MEDs', a: testPath({ med: 7 }), b: testPath({ med: 7 }) },
]);
