// CLUSTER MYID: this node's 40-hex id.
import { clusterOf, sub } from './common.js';

export const myid = sub('myid', 2, ['stale'], 'Return the node id', '3.0.0', (s) => {
  s.out.bulk(clusterOf(s).core.view.myId);
});
