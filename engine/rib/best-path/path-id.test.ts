import { testPath } from '../test-paths.ts';
import { testPreference } from './pair-cases.ts';
import { compareByPathId } from './path-id.ts';

testPreference('path-id', compareByPathId, [
  {
    name: 'two ADD-PATH paths from one peer: the lower identifier',
    preferred: testPath({ pathId: 1 }),
    other: testPath({ pathId: 2 }),
  },
]);
