// CLUSTER ADDSLOTSRANGE start end [start end ...].
import { ReplyError, wrongArity } from '../../core/errors.js';
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';
import { slotRanges } from './slot-args.js';

export const addslotsrange = sub('addslotsrange', -4, ADMIN, 'Assign new hash slots to receiving node', '7.0.0', (s, args) => {
  const host = clusterOf(s);
  if (args.length % 2 !== 0) throw new ReplyError(wrongArity('cluster|addslotsrange'));
  replyAdmin(s, host, host.core.addSlots(slotRanges(args)));
});
