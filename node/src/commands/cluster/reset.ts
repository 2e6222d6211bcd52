// CLUSTER RESET [HARD|SOFT]: forget every other node and our slots; HARD
// also takes a new id and zeroes the epochs. Refused on a primary with keys.
import { Err } from '../../core/errors.js';
import { is } from '../args.js';
import { clusterOf, isPrimary, replyAdmin, sub } from './common.js';

export const reset = sub('reset', -2, ['admin', 'noscript', 'stale'], 'Reset a Redis Cluster node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  let hard = false;
  if (args.length === 3 && is(args[2], 'hard')) hard = true;
  else if (args.length === 3 && is(args[2], 'soft')) hard = false;
  else if (args.length !== 2) {
    s.error(Err.syntax);
    return;
  }
  const view = host.core.view;
  const me = view.nodes.get(view.myId);
  if (me && isPrimary(me) && s.node.keyspace.db(0).size !== 0) {
    s.error("ERR CLUSTER RESET can't be called with master nodes containing keys");
    return;
  }
  replyAdmin(s, host, host.core.reset(hard, hard ? host.newIdentity() : null));
});
