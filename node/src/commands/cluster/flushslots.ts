// CLUSTER FLUSHSLOTS: drop all of this node's slots; refused while it holds keys, as in Redis.
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const flushslots = sub('flushslots', 2, ADMIN, "Delete a node's own slots information", '3.0.0', (s) => {
  const host = clusterOf(s);
  if (s.node.keyspace.db(0).size !== 0) {
    s.error('ERR DB must be empty to perform CLUSTER FLUSHSLOTS.');
    return;
  }
  replyAdmin(s, host, host.core.flushSlots());
});
