import { testPath } from '../test-paths.ts';
import { testPreference } from './pair-cases.ts';
import { compareByPeerAddress } from './peer-address.ts';

const bgpId = '1.1.1.1';

testPreference('peer-address', compareByPeerAddress, [
  {
    name: 'lower IPv4 address, compared as a number',
    preferred: testPath({ peer: '10.0.0.9', bgpId }),
    other: testPath({ peer: '10.0.0.10', bgpId }),
  },
  {
    name: 'lower IPv6 address, compared as a number',
    preferred: testPath({ peer: '2001:db8::2', bgpId }),
    other: testPath({ peer: '2001:db8::10', bgpId }),
  },
  {
    name: 'IPv4 compares as IPv4-mapped IPv6',
    preferred: testPath({ peer: '192.0.2.1', bgpId }),
    other: testPath({ peer: '2001:db8::1', bgpId }),
  },
]);
