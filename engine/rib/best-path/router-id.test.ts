import { testPath } from '../test-paths.ts';
import { testPreference, testTie } from './pair-cases.ts';
import { compareByRouterId } from './router-id.ts';

testPreference('router-id', compareByRouterId, [
  {
    name: 'lower BGP Identifier',
    preferred: testPath({ peer: '10.0.0.2', bgpId: '1.1.1.1' }),
    other: testPath({ peer: '10.0.0.1', bgpId: '2.2.2.2' }),
  },
  {
    name: 'BGP Identifiers compare as numbers, not text',
    preferred: testPath({ peer: '10.0.0.2', bgpId: '9.0.0.1' }),
    other: testPath({ peer: '10.0.0.1', bgpId: '10.0.0.1' }),
  },
  {
    name: 'ORIGINATOR_ID stands in for the BGP Identifier of a reflected path (RFC 4456 section 9)',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.2', bgpId: '10.0.0.2', originatorId: '10.1.0.5' }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', bgpId: '10.0.0.1', originatorId: '10.1.0.9' }),
  },
  {
    name: 'a direct path against a reflected one with a higher ORIGINATOR_ID',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.9', bgpId: '10.0.0.9' }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', bgpId: '10.0.0.1', originatorId: '10.0.0.10' }),
  },
]);

testTie('router-id', compareByRouterId, [
  {
    name: 'the same originator through two reflectors',
    a: testPath({ kind: 'ibgp', peer: '10.0.0.1', bgpId: '10.0.0.1', originatorId: '10.1.0.5' }),
    b: testPath({ kind: 'ibgp', peer: '10.0.0.2', bgpId: '10.0.0.2', originatorId: '10.1.0.5' }),
  },
]);
