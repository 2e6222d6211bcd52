// CLUSTER FAILOVER [FORCE|TAKEOVER]: manual failover belongs to the failover
// issue; the argument checks and the primary's refusal are Redis's already.
import { Err } from '../../core/errors.js';
import { is } from '../args.js';
import { ADMIN, clusterOf, isPrimary, sub } from './common.js';

export const failover = sub('failover', -2, ADMIN, 'Forces a replica to perform a manual failover of its master.', '3.0.0', (s, args) => {
  const view = clusterOf(s).core.view;
  if (args.length > 3 || (args.length === 3 && !is(args[2], 'force') && !is(args[2], 'takeover'))) {
    s.error(Err.syntax);
    return;
  }
  const me = view.nodes.get(view.myId);
  if (me && isPrimary(me)) {
    s.error('ERR You should send CLUSTER FAILOVER to a replica');
    return;
  }
  s.error('ERR not implemented yet');
});
