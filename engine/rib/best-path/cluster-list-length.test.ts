import { testPath } from '../test-paths.ts';
import { compareByClusterListLength } from './cluster-list-length.ts';
import { testPreference } from './pair-cases.ts';

const originatorId = '10.1.0.5';

testPreference('cluster-list-length', compareByClusterListLength, [
  {
    name: 'no CLUSTER_LIST over one entry',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.2', bgpId: originatorId }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', originatorId, clusterList: ['10.0.0.1'] }),
  },
  {
    name: 'the same originator reflected through fewer clusters',
    preferred: testPath({ kind: 'ibgp', peer: '10.0.0.2', originatorId, clusterList: ['10.0.0.2'] }),
    other: testPath({ kind: 'ibgp', peer: '10.0.0.1', originatorId, clusterList: ['10.0.0.1', '10.0.0.3'] }),
  },
]);
