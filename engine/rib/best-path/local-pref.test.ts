import { testPath } from '../test-paths.ts';
import { compareByLocalPref } from './local-pref.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('local-pref', compareByLocalPref, [
  {
    name: 'higher LOCAL_PREF',
    preferred: testPath({ kind: 'ibgp', localPref: 200 }),
    other: testPath({ kind: 'ibgp', localPref: 100 }),
  },
  {
    name: 'absent LOCAL_PREF counts as 100',
    preferred: testPath({ kind: 'ibgp' }),
    other: testPath({ kind: 'ibgp', localPref: 50 }),
  },
]);

testTie('local-pref', compareByLocalPref, [
  {
    name: 'LOCAL_PREF from an external peer is ignored (RFC 4271 section 5.1.5)',
    a: testPath({ localPref: 200 }),
    b: testPath({ localPref: 50 }),
  },
  { name: 'absent and 100', a: testPath({ kind: 'ibgp' }), b: testPath({ kind: 'ibgp', localPref: 100 }) },
]);
