// CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE id | STABLE: argument checks
// here, the state change in the core (resharding builds on it).
import { ReplyError } from '../../core/errors.js';
import { ADMIN, clusterOf, replyAdmin, slotArg, sub } from './common.js';

const BAD_ACTION = 'ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP';

export const setslot = sub('setslot', -4, ADMIN, 'Bind a hash slot to a specific node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  const view = host.core.view;
  const me = view.nodes.get(view.myId);
  if (me && !me.flags.includes('master')) throw new ReplyError('ERR Please use SETSLOT only with masters.');
  const slot = slotArg(args[2]!);
  const action = args[3]!.toLowerCase();
  if (action === 'stable' && args.length === 4) {
    replyAdmin(s, host, host.core.setSlot(slot, 'stable', null));
    return;
  }
  if ((action === 'migrating' || action === 'importing' || action === 'node') && args.length === 5) {
    replyAdmin(s, host, host.core.setSlot(slot, action, args[4]!));
    return;
  }
  throw new ReplyError(BAD_ACTION);
});
