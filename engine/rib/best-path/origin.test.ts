import { testPath } from '../test-paths.ts';
import { compareByOrigin } from './origin.ts';
import { testPreference } from './pair-cases.ts';

testPreference('origin', compareByOrigin, [
  { name: 'IGP over EGP', preferred: testPath({ origin: 'igp' }), other: testPath({ origin: 'egp' }) },
  { name: 'EGP over INCOMPLETE', preferred: testPath({ origin: 'egp' }), other: testPath({ origin: 'incomplete' }) },
  { name: 'IGP over INCOMPLETE', preferred: testPath({ origin: 'igp' }), other: testPath({ origin: 'incomplete' }) },
]);
