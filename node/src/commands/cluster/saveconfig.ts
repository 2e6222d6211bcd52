// CLUSTER SAVECONFIG: write nodes.conf now.
import { ADMIN, clusterOf, sub } from './common.js';

export const saveconfig = sub('saveconfig', 2, ADMIN, 'Forces the node to save cluster state on disk', '3.0.0', (s) => {
  const err = clusterOf(s).saveConfig();
  if (err === null) s.out.ok();
  else s.error(err);
});
