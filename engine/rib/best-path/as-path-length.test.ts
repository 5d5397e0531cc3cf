import { testPath } from '../test-paths.ts';
import { compareByAsPathLength } from './as-path-length.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('as-path-length', compareByAsPathLength, [
  { name: 'shorter AS_SEQUENCE', preferred: testPath({ asns: [65001] }), other: testPath({ asns: [65001, 65002] }) },
  {
    name: 'an AS_SET counts as one AS',
    preferred: testPath({
      asPath: [
        { type: 'sequence', asns: [65001] },
        { type: 'set', asns: [1, 2, 3, 4] },
      ],
    }),
    other: testPath({ asns: [65001, 65002, 65003] }),
  },
  {
    name: 'confederation segments count as none',
    preferred: testPath({
      kind: 'ibgp',
      asPath: [
        { type: 'confed-sequence', asns: [65100, 65101, 65102] },
        { type: 'sequence', asns: [65001] },
      ],
    }),
    other: testPath({ kind: 'ibgp', asns: [65001, 65002] }),
  },
]);

testTie('as-path-length', compareByAsPathLength, [
  {
    name: 'AS_SET of two against one AS',
    a: testPath({
      asPath: [
        { type: 'sequence', asns: [65001] },
        { type: 'set', asns: [1, 2] },
      ],
    }),
    b: testPath({ asns: [65001, 3] }),
  },
  {
    name: 'different lengths with ignoreAsPathLength',
    a: testPath({ asns: [65001] }),
    b: testPath({ asns: [65001, 65002, 65003] }),
    options: { ignoreAsPathLength: true },
  },
]);
