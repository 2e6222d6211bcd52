// CLUSTER REPLICATE node-id: the core validates; becoming a replica belongs
// to the replication issue, so until then the core answers with its error.
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const replicate = sub('replicate', 3, ADMIN, 'Reconfigure a node as a replica of the specified master node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  replyAdmin(s, host, host.core.replicate(args[2]!));
});
