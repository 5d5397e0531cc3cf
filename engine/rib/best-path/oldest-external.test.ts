import { testPath } from '../test-paths.ts';
import { compareByOldestExternal } from './oldest-external.ts';
import { testPreference, testTie } from './pair-cases.ts';

const older = testPath({ peer: '10.0.0.2', receivedAt: 1 });
const newer = testPath({ peer: '10.0.0.1', receivedAt: 2 });

testPreference('oldest-external', compareByOldestExternal, [
  { name: 'the external path received first', preferred: older, other: newer, options: { preferOldestExternal: true } },
]);

testTie('oldest-external', compareByOldestExternal, [
  { name: 'off by default', a: older, b: newer },
  {
    name: 'internal paths',
    a: testPath({ kind: 'ibgp', receivedAt: 1 }),
    b: testPath({ kind: 'ibgp', receivedAt: 2 }),
    options: { preferOldestExternal: true },
  },
]);
