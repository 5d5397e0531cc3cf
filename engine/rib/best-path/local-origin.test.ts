import { testPath } from '../test-paths.ts';
import { compareByLocalOrigin } from './local-origin.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('local-origin', compareByLocalOrigin, [
  {
    name: 'a path this speaker originates over one learned over iBGP',
    preferred: testPath({ kind: 'local', peer: '10.0.0.9' }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1' }),
  },
]);

testTie('local-origin', compareByLocalOrigin, [
  { name: 'two learned paths', a: testPath({ kind: 'ibgp' }), b: testPath({ kind: 'ebgp', asns: [] }) },
]);
