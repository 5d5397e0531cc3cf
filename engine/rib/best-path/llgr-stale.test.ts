import { testPath } from '../test-paths.ts';
import { compareByLlgrStale } from './llgr-stale.ts';
import { testPreference, testTie } from './pair-cases.ts';

testPreference('llgr-stale', compareByLlgrStale, [
  {
    name: 'a fresh path over one carrying LLGR_STALE',
    preferred: testPath({ communities: ['65001:1'] }),
    other: testPath({ communities: ['65001:1', '65535:6'] }),
  },
  {
    name: 'a fresh path over one this speaker marked LLGR-stale',
    preferred: testPath(),
    other: testPath({ stale: 'llgr' }),
  },
]);

testTie('llgr-stale', compareByLlgrStale, [
  { name: 'GR-stale only (RFC 4724 keeps ranking it as usual)', a: testPath(), b: testPath({ stale: 'gr' }) },
  { name: 'both LLGR-stale', a: testPath({ stale: 'llgr' }), b: testPath({ communities: ['65535:6'] }) },
]);
