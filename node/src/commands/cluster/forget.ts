// CLUSTER FORGET node-id: drop a node and refuse it back for a minute (the core's blacklist).
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const forget = sub('forget', 3, ADMIN, 'Remove a node from the nodes table', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  replyAdmin(s, host, host.core.forget(args[2]!, s.nowMs));
});
