// CLUSTER MYSHARDID (Redis 7.2): this node's shard id.
import { clusterOf, sub } from './common.js';

export const myshardid = sub('myshardid', 2, ['stale'], 'Return the node shard id', '7.2.0', (s) => {
  const view = clusterOf(s).core.view;
  s.out.bulk(view.nodes.get(view.myId)?.shardId ?? '');
});
