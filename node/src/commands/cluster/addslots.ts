// CLUSTER ADDSLOTS slot...: claim unassigned slots.
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';
import { slotList } from './slot-args.js';

export const addslots = sub('addslots', -3, ADMIN, 'Assign new hash slots to receiving node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  replyAdmin(s, host, host.core.addSlots(slotList(args)));
});
