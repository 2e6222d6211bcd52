// CLUSTER REPLICATE node-id: the core validates and records the new primary;
// its role-changed effect makes the replication adapter stream from it over
// the bus (cluster-setup.ts).
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const replicate = sub('replicate', 3, ADMIN, 'Reconfigure a node as a replica of the specified master node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  replyAdmin(s, host, host.core.replicate(args[2]!));
});
