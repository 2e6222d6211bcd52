// CLUSTER FAILOVER [FORCE|TAKEOVER]: the argument checks and the primary's
// refusal are Redis's; the manual failover itself (handshake with the
// primary, forced election, or the epoch bump of TAKEOVER) is the core's.
import { Err } from '../../core/errors.js';
import { is } from '../args.js';
import { ADMIN, clusterOf, isPrimary, replyAdmin, sub } from './common.js';

export const failover = sub('failover', -2, ADMIN, 'Forces a replica to perform a manual failover of its master.', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  const view = host.core.view;
  if (args.length > 3 || (args.length === 3 && !is(args[2], 'force') && !is(args[2], 'takeover'))) {
    s.error(Err.syntax);
    return;
  }
  const me = view.nodes.get(view.myId);
  if (me && isPrimary(me)) {
    s.error('ERR You should send CLUSTER FAILOVER to a replica');
    return;
  }
  const mode = args.length === 3 ? (is(args[2], 'force') ? 'force' : 'takeover') : 'default';
  replyAdmin(s, host, host.core.manualFailover(mode, s.nowMs));
});
