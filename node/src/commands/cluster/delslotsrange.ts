// CLUSTER DELSLOTSRANGE start end [start end ...].
import { ReplyError, wrongArity } from '../../core/errors.js';
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';
import { slotRanges } from './slot-args.js';

export const delslotsrange = sub('delslotsrange', -4, ADMIN, 'Set hash slots as unbound in receiving node', '7.0.0', (s, args) => {
  const host = clusterOf(s);
  if (args.length % 2 !== 0) throw new ReplyError(wrongArity('cluster|delslotsrange'));
  replyAdmin(s, host, host.core.delSlots(slotRanges(args)));
});
