// CLUSTER DELSLOTS slot...: forget who owns these slots (on this node only).
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';
import { slotList } from './slot-args.js';

export const delslots = sub('delslots', -3, ADMIN, 'Set hash slots as unbound in receiving node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  replyAdmin(s, host, host.core.delSlots(slotList(args)));
});
