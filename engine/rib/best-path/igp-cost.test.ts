import { testPath } from '../test-paths.ts';
import { compareByIgpCost } from './igp-cost.ts';
import { testPreference } from './pair-cases.ts';

testPreference('igp-cost', compareByIgpCost, [
  {
    name: 'lower cost to the next hop',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.2', igpCost: 10 }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', igpCost: 20 }),
  },
]);
